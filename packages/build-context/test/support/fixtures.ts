// Test helpers: throwaway directories with files, links and special files.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile, chmod } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';

/** A fresh directory removed when the current test finishes. */
export async function temporaryDirectory(prefix = 'berth-build-context-'): Promise<string> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  onTestFinished(async () => {
    await rm(path, { recursive: true, force: true });
  });
  return path;
}

/** A file (parents created), optionally with a mode and mtime (seconds). */
export async function putFile(root: string, path: string, content: string | Buffer = '', options: { mode?: number; mtime?: number } = {}): Promise<string> {
  const absolute = join(root, path);
  await mkdir(dirname(absolute), { recursive: true });
  await writeFile(absolute, content);
  if (options.mode !== undefined) await chmod(absolute, options.mode);
  if (options.mtime !== undefined) await utimes(absolute, options.mtime, options.mtime);
  return absolute;
}

/** A directory (parents created). */
export async function putDirectory(root: string, path: string, options: { mode?: number; mtime?: number } = {}): Promise<string> {
  const absolute = join(root, path);
  await mkdir(absolute, { recursive: true });
  if (options.mode !== undefined) await chmod(absolute, options.mode);
  if (options.mtime !== undefined) await utimes(absolute, options.mtime, options.mtime);
  return absolute;
}

/** A symbolic link at `path` pointing to `target` (kept verbatim). */
export async function putSymlink(root: string, path: string, target: string): Promise<void> {
  const absolute = join(root, path);
  await mkdir(dirname(absolute), { recursive: true });
  await symlink(target, absolute);
}

/** A FIFO. */
export function putFifo(root: string, path: string): void {
  execFileSync('mkfifo', [join(root, path)]);
}

/** A character device (needs root). */
export function putCharacterDevice(root: string, path: string): void {
  execFileSync('mknod', [join(root, path), 'c', '1', '3']);
}

/** A listening Unix socket; closed when the test finishes. */
export async function putSocket(root: string, path: string): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(join(root, path), resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
}
