import { lstat, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { DirectorySource } from '@berth/buildkit';
import { InvalidArgumentError, type UploadBody } from '@berth/engine-protocol';
import { toUploadBody } from '@berth/engine-protocol/internal';
import type { BuildOptions } from './build-options.js';
import { resolveBuildContext, type ResolvedBuildContext } from './build-context-source.js';

/**
 * The context of a BuildKit build: directories the build session serves (`remote` is then
 * `client-session`), or, for a context tar or a remote URL, what the classic path sends.
 *
 * @example
 * ```ts
 * const context = await resolveBuildkitContext({ path: './app' }, await import('@berth/buildkit'));
 * // { directories: { context, dockerfile }, dockerfile: 'Dockerfile', remote: 'client-session', sharedKeyPath: '/home/me/app', … }
 * ```
 * @internal
 */
export interface BuildkitContext extends ResolvedBuildContext {
  /** Directories the session serves (`context`, `dockerfile`), for a synced context. */
  readonly directories?: Readonly<Record<string, DirectorySource>>;
  /** What names the session's cache on the engine: the context directory, when there is one. */
  readonly sharedKeyPath?: string;
}

/**
 * Resolves the context of a BuildKit build. With `path` (unless `syncContext: false`) the
 * context directory and the Dockerfile's directory are served through the session, and only
 * the Dockerfile's file name goes to the engine; a Dockerfile given as `file` is served from
 * memory with an empty context. A context tar and a remote URL go as for the classic builder.
 * Missing inputs are `InvalidArgumentError`s before any request.
 *
 * @example
 * ```ts
 * await resolveBuildkitContext({ path: './app', dockerfile: '../docker/app.Dockerfile' }, await import('@berth/buildkit'));
 * ```
 * @internal
 */
export async function resolveBuildkitContext(options: BuildOptions, buildkit: typeof import('@berth/buildkit')): Promise<BuildkitContext> {
  if (options.path !== undefined && options.remote === undefined && options.syncContext !== false && !isRemotePath(options.path)) {
    const context = await buildkit.localDirectory(options.path).catch((error: unknown) => {
      throw new InvalidArgumentError(`The build context "${resolve(options.path as string)}" cannot be served: ${(error as Error).message}`, {
        argument: 'path',
        cause: error,
      });
    });
    const dockerfilePath = await locateDockerfile(options.path, options.dockerfile);
    return {
      directories: { context, dockerfile: await buildkit.localDirectory(dirname(dockerfilePath)) },
      dockerfile: basename(dockerfilePath),
      remote: 'client-session',
      sharedKeyPath: context.description,
      dispose: () => {},
    };
  }
  if (options.file !== undefined && options.customContext !== true) {
    const { readDockerfileContent } = await import('@berth/build-context');
    const file = options.file;
    const content = await readDockerfileContent(typeof file === 'string' || file instanceof Uint8Array ? file : (toUploadBody(file as UploadBody) as never), 'file');
    return {
      directories: { context: buildkit.memoryDirectory({}), dockerfile: buildkit.memoryDirectory({ Dockerfile: content }) },
      dockerfile: 'Dockerfile',
      remote: 'client-session',
      dispose: () => {},
    };
  }
  return resolveBuildContext(options);
}

function isRemotePath(path: string): boolean {
  return ['http://', 'https://', 'git://', 'github.com/', 'git@'].some((prefix) => path.startsWith(prefix));
}

/**
 * The Dockerfile's real path: `dockerfile` relative to the context directory (as docker-py
 * reads it) or absolute; by default `Dockerfile`, else `dockerfile`, in the context.
 */
async function locateDockerfile(contextPath: string, dockerfile: string | undefined): Promise<string> {
  let candidate: string;
  if (dockerfile !== undefined) {
    if (typeof dockerfile !== 'string' || dockerfile === '') throw new InvalidArgumentError('The dockerfile option must be a non-empty path.', { argument: 'dockerfile' });
    candidate = resolve(contextPath, dockerfile);
  } else {
    candidate = join(resolve(contextPath), 'Dockerfile');
    const lowercase = join(resolve(contextPath), 'dockerfile');
    if (!(await exists(candidate)) && (await exists(lowercase))) candidate = lowercase;
  }
  try {
    const real = await realpath(candidate);
    if (!(await stat(real)).isFile()) throw new InvalidArgumentError(`The Dockerfile "${candidate}" is not a regular file.`, { argument: 'dockerfile' });
    return real;
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw error;
    const code = (error as { code?: unknown }).code;
    throw new InvalidArgumentError(`${code === 'ENOENT' ? 'Cannot locate' : 'Cannot read'} the Dockerfile "${candidate}".`, { argument: 'dockerfile', cause: error });
  }
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
