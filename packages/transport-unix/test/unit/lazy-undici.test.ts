import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Importing the transport must not load undici's HTTP stack (most of a cold import): the Agent
// is built on the first request. Checked in a fresh process on the built package, the way an
// application loads it, for both module systems. No timing here: the cost is measured in bench/.
const packageDirectory = fileURLToPath(new URL('../..', import.meta.url));
const probe = `
  const loaded = () => Object.keys(require('node:module')._cache).filter((file) => /[\\\\/]undici[\\\\/]/.test(file)).map((file) => file.replace(/.*[\\\\/]undici[\\\\/]/, ''));
  const { unixTransport } = await load('@berth/transport-unix');
  const transport = unixTransport({ socketPath: '/nonexistent/berth.sock' });
  const afterImport = loaded();
  const error = await transport.dispatcher.request({ origin: 'http://localhost', path: '/_ping', method: 'GET' }).catch((caught) => caught);
  await transport.close();
  process.stdout.write(JSON.stringify({ afterImport, afterRequest: loaded(), code: error.code }));
`;

function run(kind: 'esm' | 'cjs'): { afterImport: string[]; afterRequest: string[]; code: string } {
  const program =
    kind === 'esm'
      ? `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); const load = (name) => import(name); ${probe}`
      : `const load = async (name) => require(name); (async () => { ${probe} })();`;
  const output = execFileSync(process.execPath, kind === 'esm' ? ['--input-type=module', '-e', program] : ['-e', program], {
    cwd: packageDirectory,
    encoding: 'utf8',
  });
  return JSON.parse(output) as { afterImport: string[]; afterRequest: string[]; code: string };
}

describe('undici is loaded on the first request, not at import', () => {
  it.each(['esm', 'cjs'] as const)('%s', (kind) => {
    const { afterImport, afterRequest, code } = run(kind);
    expect(afterImport).not.toContain('index.js');
    expect(afterImport).not.toContain('lib/dispatcher/agent.js');
    expect(afterImport).not.toContain('lib/dispatcher/client.js');
    expect(afterRequest).toContain('lib/dispatcher/agent.js');
    expect(afterRequest).toContain('lib/api/api-request.js');
    // Only the parts a request uses: not undici's package entry (fetch, WebSocket, caches, mocks).
    expect(afterRequest).not.toContain('index.js');
    expect(afterRequest).not.toContain('lib/web/fetch/index.js');
    expect(code).toBe('ENOENT');
  });
});
