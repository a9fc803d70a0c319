// Unreadable files need a user without root's file access: each scenario runs in a child
// Node process as `nobody` (uid 65534), on this package's sources compiled on the fly.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
const nobody = 65534;

let base = '';
let work = '';

async function sources(directory: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) found.push(...(await sources(path)));
    else if (entry.name.endsWith('.ts')) found.push(path);
  }
  return found;
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'berth-build-context-nobody-'));
  await chmod(base, 0o755);
  for (const source of await sources(join(packageRoot, 'src'))) {
    const output = ts.transpileModule(await readFile(source, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    }).outputText;
    const target = join(base, 'lib', relative(join(packageRoot, 'src'), source)).replace(/\.ts$/u, '.js');
    await mkdir(dirname(target), { recursive: true, mode: 0o755 });
    await writeFile(target, output, { mode: 0o644 });
  }
  // Bare imports (@berth/engine-protocol, tar-stream) resolve through this package's node_modules.
  await symlink(join(packageRoot, 'node_modules'), join(base, 'node_modules'));
  work = join(base, 'work');
  await mkdir(work);
  await chmod(work, 0o777);
});

afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

interface Outcome {
  readonly resolved?: { readonly dockerfile: string };
  readonly rejected?: { readonly name: string; readonly argument?: string; readonly message: string };
}

// Runs `scenario` (the body of an async function with `packDirectory`, `fs`, `root` in scope)
// as nobody and returns what it printed.
async function asNobody(scenario: string): Promise<Outcome> {
  const script = `
    import * as fs from 'node:fs/promises';
    import { packDirectory } from ${JSON.stringify(pathToFileURL(join(base, 'lib/index.js')).href)};
    const root = await fs.mkdtemp(${JSON.stringify(`${work}/`)});
    const readAll = (stream) => new Promise((resolve, reject) => {
      stream.on('data', () => {}).on('error', reject).on('end', resolve);
    });
    try {
      const result = await (async () => { ${scenario} })();
      console.log(JSON.stringify({ resolved: result }));
    } catch (error) {
      console.log(JSON.stringify({ rejected: { name: error.name, argument: error.argument, message: error.message } }));
    }
  `;
  const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { uid: nobody, gid: nobody, cwd: work }, (error, out, err) =>
      error ? reject(new Error(`${error.message}\n${err}`)) : resolve({ stdout: out }),
    );
  });
  return JSON.parse(stdout) as Outcome;
}

describe('unreadable context files (as nobody)', () => {
  it('runs the scenarios without root privileges', async () => {
    const outcome = await asNobody(`return { dockerfile: String(process.getuid()) };`);
    expect(outcome.resolved?.dockerfile).toBe(String(nobody));
  });

  it('rejects before producing anything, naming an unreadable file', async () => {
    const outcome = await asNobody(`
      await fs.writeFile(root + '/Dockerfile', 'FROM scratch');
      await fs.writeFile(root + '/secret.key', 'x');
      await fs.chmod(root + '/secret.key', 0);
      const context = await packDirectory(root);
      return { dockerfile: context.dockerfile };
    `);
    expect(outcome.rejected).toMatchObject({ name: 'InvalidArgumentError', argument: 'contextPath' });
    expect(outcome.rejected?.message).toMatch(/^Cannot read file "\/.+\/secret\.key" of the build context: permission denied\./u);
  });

  it('rejects naming an unreadable directory', async () => {
    const outcome = await asNobody(`
      await fs.writeFile(root + '/Dockerfile', 'FROM scratch');
      await fs.mkdir(root + '/private');
      await fs.chmod(root + '/private', 0);
      await packDirectory(root);
      return { dockerfile: 'unexpected' };
    `);
    expect(outcome.rejected).toMatchObject({ name: 'InvalidArgumentError', argument: 'contextPath' });
    expect(outcome.rejected?.message).toMatch(/^Cannot read directory "\/.+\/private" of the build context: permission denied\./u);
  });

  it('accepts unreadable files that .dockerignore excludes', async () => {
    const outcome = await asNobody(`
      await fs.writeFile(root + '/Dockerfile', 'FROM scratch');
      await fs.writeFile(root + '/.dockerignore', 'secret.key\\nprivate');
      await fs.writeFile(root + '/secret.key', 'x');
      await fs.chmod(root + '/secret.key', 0);
      await fs.mkdir(root + '/private');
      await fs.chmod(root + '/private', 0);
      const context = await packDirectory(root);
      await readAll(context.stream);
      return { dockerfile: context.dockerfile };
    `);
    expect(outcome.resolved).toEqual({ dockerfile: 'Dockerfile' });
  });

  it('fails the stream, naming the file, when a file becomes unreadable after the check', async () => {
    const outcome = await asNobody(`
      await fs.writeFile(root + '/Dockerfile', 'FROM scratch');
      await fs.writeFile(root + '/late.txt', 'x');
      const context = await packDirectory(root);
      await fs.chmod(root + '/late.txt', 0);
      await readAll(context.stream);
      return { dockerfile: 'unexpected' };
    `);
    expect(outcome.rejected).toMatchObject({ name: 'InvalidArgumentError', argument: 'contextPath' });
    expect(outcome.rejected?.message).toMatch(/^Cannot read file "\/.+\/late\.txt" of the build context: permission denied\./u);
  });
});
