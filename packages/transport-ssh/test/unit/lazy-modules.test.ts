import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSsh2 } from '../../src/load-ssh2.js';

// ssh2 and undici are most of this package's import cost and nothing needs them before a
// connection: importing the package (and making a transport) must load neither. Checked in a
// fresh process on the built package, for both module systems. Timings live in bench/.
const packageDirectory = fileURLToPath(new URL('../..', import.meta.url));
const probe = `
  const loaded = () => Object.keys(require('node:module')._cache).filter((file) => /node_modules[\\\\/](\\.pnpm[\\\\/][^\\\\/]+[\\\\/]node_modules[\\\\/])?(ssh2|undici)[\\\\/]/.test(file));
  const { sshTransport } = await load('@berth/transport-ssh');
  const transport = sshTransport({ url: 'ssh://berth@127.0.0.1:1', agent: false });
  const files = loaded();
  await transport.close();
  process.stdout.write(JSON.stringify({ ssh2: files.filter((file) => /[\\\\/]ssh2[\\\\/]/.test(file)).length, undiciAgent: files.some((file) => file.endsWith('agent.js') && /undici/.test(file)) }));
`;

function run(kind: 'esm' | 'cjs'): { ssh2: number; undiciAgent: boolean } {
  const program =
    kind === 'esm'
      ? `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); const load = (name) => import(name); ${probe}`
      : `const load = async (name) => require(name); (async () => { ${probe} })();`;
  const output = execFileSync(process.execPath, kind === 'esm' ? ['--input-type=module', '-e', program] : ['-e', program], { cwd: packageDirectory, encoding: 'utf8' });
  return JSON.parse(output) as { ssh2: number; undiciAgent: boolean };
}

describe('ssh2 and undici load when a connection needs them, not at import', () => {
  it.each(['esm', 'cjs'] as const)('%s', (kind) => {
    expect(run(kind)).toEqual({ ssh2: 0, undiciAgent: false });
  });

  it('loads ssh2 on demand', async () => {
    const ssh2 = await loadSsh2();
    expect(typeof ssh2.Client).toBe('function');
    expect(typeof ssh2.utils.parseKey).toBe('function');
  });
});
