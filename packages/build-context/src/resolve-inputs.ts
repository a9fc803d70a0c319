// Resolves packDirectory's inputs the way `docker build` does before sending anything: the
// context directory (symlinks resolved), the Dockerfile (default `Dockerfile`, else
// `dockerfile`; an explicit path is relative to the current directory like `-f`), and the
// .dockerignore rules.
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { parseDockerignore } from './dockerignore/parse-dockerignore.js';
import { errorCode } from './walk/file-system-error.js';
import { readDockerfileContent, type DockerfileContent } from './read-dockerfile-content.js';

/** Where the Dockerfile comes from. */
export type ResolvedDockerfile =
  /** A file inside the context, sent as part of it. */
  | { readonly kind: 'inContext'; readonly relativePath: string }
  /** Content added to the archive under a generated name. */
  | { readonly kind: 'generated'; readonly name: string; readonly content: Buffer };

/**
 * The absolute, symlink-free path of the context directory. Throws `InvalidArgumentError`
 * (argument `contextPath`) naming the path when it does not exist or is not a directory.
 *
 * @example
 * ```ts
 * await resolveContextDirectory('./app'); // '/home/me/project/app'
 * ```
 */
export async function resolveContextDirectory(contextPath: string): Promise<string> {
  if (typeof contextPath !== 'string' || contextPath === '') {
    throw new InvalidArgumentError('The build context path must be a non-empty string.', { argument: 'contextPath' });
  }
  const absolute = resolve(contextPath);
  let root: string;
  let stats: Stats;
  try {
    root = await realpath(absolute);
    stats = await stat(root);
  } catch (error) {
    const reason = errorCode(error) === 'ENOENT' ? 'does not exist' : `cannot be read (${errorCode(error) ?? String(error)})`;
    throw new InvalidArgumentError(`The build context "${absolute}" ${reason}.`, { argument: 'contextPath', cause: error });
  }
  if (!stats.isDirectory()) {
    throw new InvalidArgumentError(`The build context "${absolute}" is not a directory.`, { argument: 'contextPath' });
  }
  return root;
}

/**
 * Finds the Dockerfile. With `content`, it is added under a generated name. Otherwise
 * `dockerfile` (absolute, or relative to the current directory) or the context's
 * `Dockerfile` (falling back to `dockerfile`) is resolved through symbolic links; inside the
 * context it is sent as is, outside it is read and added under a generated name.
 *
 * @example
 * ```ts
 * await resolveDockerfile('/src/app', { dockerfile: '/src/docker/app.Dockerfile' });
 * // { kind: 'generated', name: '.dockerfile.1f0e…', content: <Buffer …> }
 * ```
 */
export async function resolveDockerfile(
  root: string,
  options: { readonly dockerfile?: string | undefined; readonly content?: DockerfileContent | undefined },
): Promise<ResolvedDockerfile> {
  if (options.content !== undefined) {
    return { kind: 'generated', name: generatedDockerfileName(), content: await readDockerfileContent(options.content, 'dockerfileContent') };
  }
  let candidate: string;
  if (options.dockerfile !== undefined) {
    if (typeof options.dockerfile !== 'string' || options.dockerfile === '') {
      throw new InvalidArgumentError('The dockerfile option must be a non-empty path.', { argument: 'dockerfile' });
    }
    candidate = resolve(options.dockerfile);
  } else {
    candidate = join(root, 'Dockerfile');
    if (!(await exists(candidate)) && (await exists(join(root, 'dockerfile')))) candidate = join(root, 'dockerfile');
  }
  let real: string;
  let stats: Stats;
  try {
    real = await realpath(candidate);
    stats = await stat(real);
  } catch (error) {
    const reason = errorCode(error) === 'ENOENT' ? 'Cannot locate the Dockerfile' : 'Cannot read the Dockerfile';
    throw new InvalidArgumentError(`${reason} "${candidate}".`, { argument: 'dockerfile', cause: error });
  }
  if (!stats.isFile()) throw new InvalidArgumentError(`The Dockerfile "${candidate}" is not a regular file.`, { argument: 'dockerfile' });
  const relativePath = relative(root, real);
  if (relativePath === '..' || relativePath.startsWith(`..${sep}`) || isAbsolute(relativePath)) {
    let content: Buffer;
    try {
      content = await readFile(real);
    } catch (error) {
      throw new InvalidArgumentError(`Cannot read the Dockerfile "${candidate}".`, { argument: 'dockerfile', cause: error });
    }
    return { kind: 'generated', name: generatedDockerfileName(), content };
  }
  return { kind: 'inContext', relativePath: relativePath.split(sep).join('/') };
}

/** The .dockerignore rules in force and the context's own `.dockerignore` bytes, if any. */
export interface DockerignoreRules {
  /** Patterns as read by the CLI's ReadAll. */
  readonly patterns: readonly string[];
  /** Content of `<context>/.dockerignore` (read through a symbolic link), when it exists. */
  readonly fileContent: Buffer | undefined;
}

/**
 * Reads `<context>/.dockerignore` (like the CLI, through a symbolic link if it is one) and
 * takes its patterns, unless `override` supplies the rules as text.
 *
 * @example
 * ```ts
 * await readDockerignoreRules('/src/app', undefined); // { patterns: ['node_modules'], fileContent: <Buffer …> }
 * ```
 */
export async function readDockerignoreRules(root: string, override: string | undefined): Promise<DockerignoreRules> {
  if (override !== undefined && typeof override !== 'string') {
    throw new InvalidArgumentError('The dockerignore option must be the text of a .dockerignore file.', { argument: 'dockerignore' });
  }
  const path = join(root, '.dockerignore');
  let fileContent: Buffer | undefined;
  try {
    fileContent = await readFile(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') {
      throw new InvalidArgumentError(`Cannot read "${path}".`, { argument: 'contextPath', cause: error });
    }
  }
  const patterns = parseDockerignore(override ?? fileContent ?? '');
  return { patterns, fileContent };
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

// The CLI's `.dockerfile.` + 20 random hex digits.
function generatedDockerfileName(): string {
  return `.dockerfile.${randomBytes(10).toString('hex')}`;
}
