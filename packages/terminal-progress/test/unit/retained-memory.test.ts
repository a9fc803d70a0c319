// review 1: on a terminal, StreamView kept every line it had committed (printed for good) in its
// entry list, so a long classic build held its whole output. Committed lines must be let go.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createProgressRenderer } from '../../src/index.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function heapUsed(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

describe('memory held while drawing live', () => {
  it('does not keep the lines of a long classic build once they are printed', { timeout: 60_000 }, () => {
    // A terminal that forgets what it is given, so only the renderer can hold the lines.
    const output = { isTTY: true, columns: 120, rows: 40, write: () => true };
    const renderer = createProgressRenderer({ kind: 'build', mode: 'tty', output, environment: { NO_COLOR: '1' }, redrawIntervalMs: 0 });
    const lineBytes = 2_048;
    const lines = 40_000; // ~80 MB of distinct text: held in full before the fix
    const before = heapUsed();
    for (let index = 0; index < lines; index++) {
      renderer.update({ type: 'output', text: `${String(index).padStart(8, '0')}${'x'.repeat(lineBytes - 9)}\n`, raw: {} });
    }
    const grown = heapUsed() - before;
    renderer.finish();
    // Far below the ~100 MB of text, far above the noise of the test itself.
    expect(grown).toBeLessThan(20 * 1024 * 1024);
  });
});
