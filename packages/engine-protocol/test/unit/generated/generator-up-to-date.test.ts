import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = path.join(PACKAGE_DIR, 'scripts/generate-types.mjs');
const GENERATED_DIR = path.join(PACKAGE_DIR, 'src/generated');
const REGENERATE = 'run `pnpm --filter @berth/engine-protocol generate`';

/** The spec the repository keeps (spec/README.md); `pnpm generate` reads it by default. */
const SPEC = path.join(PACKAGE_DIR, 'spec/swagger-v1.56.yaml');

/** First differing line, for a readable failure instead of a 300 KB diff. */
function firstDifference(actual: string, expected: string): string | undefined {
  if (actual === expected) return undefined;
  const a = actual.split('\n');
  const e = expected.split('\n');
  const line = a.findIndex((text, i) => text !== e[i]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}:\n  committed: ${JSON.stringify(a[at])}\n  generated: ${JSON.stringify(e[at])}`;
}

describe('scripts/generate-types.mjs', () => {
  const tempDirs: string[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(path.join(tmpdir(), 'berth-generated-'));
    tempDirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('committed src/generated matches a fresh run on the spec kept in the repository', () => {
    const out = tempDir();
    // No --spec: the default must be the repository's copy, so a plain clone generates.
    const environment = { ...process.env };
    delete environment['BERTH_ENGINE_API_SPEC'];
    const output = execFileSync(process.execPath, [SCRIPT, '--out', out], { encoding: 'utf8', env: environment });
    expect(output).toContain('Engine API v1.56');
    expect(readFileSync(SPEC, 'utf8')).toMatch(/^basePath: "\/v1\.56"$/m);

    const generated = readdirSync(out).sort();
    expect(generated).toEqual(['definitions.ts', 'index.ts', 'operations.ts']);
    expect(readdirSync(GENERATED_DIR).sort(), `unexpected files in src/generated; ${REGENERATE}`).toEqual(generated);
    for (const file of generated) {
      const difference = firstDifference(
        readFileSync(path.join(GENERATED_DIR, file), 'utf8'),
        readFileSync(path.join(out, file), 'utf8'),
      );
      expect(difference, `src/generated/${file} is stale; ${REGENERATE}`).toBeUndefined();
    }
  }, 60_000); // parsing the 470 KB spec takes seconds on a busy machine

  it('fails with a hint when the spec is missing', () => {
    const missing = path.join(tempDir(), 'no-such-spec.yaml');
    const result = spawnSync(process.execPath, [SCRIPT, '--spec', missing, '--out', tempDir()], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Engine API spec not found at ${missing}`);
    expect(result.stderr).toContain('BERTH_ENGINE_API_SPEC');
    expect(result.stderr).toContain('spec/swagger-v1.56.yaml');
  });
});
