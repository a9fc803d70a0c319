import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { InvalidArgumentError, type UploadBody } from '@berth/engine-protocol';
import { definedEntries, toUploadBody } from '@berth/engine-protocol/internal';
import type { BuildOptions } from './build-options.js';

/**
 * The context a build sends, once resolved.
 *
 * @example
 * ```ts
 * const { body, dockerfile, dispose } = await resolveBuildContext({ path: './app' });
 * ```
 */
export interface ResolvedBuildContext {
  /** The context tar, unless the engine fetches the context (`remote`). */
  readonly body?: UploadBody;
  /** The Dockerfile's path inside the context, when not the default. */
  readonly dockerfile?: string;
  /** The URL the engine fetches, for a remote context. */
  readonly remote?: string;
  /** Releases the context stream when the build request could not be sent. */
  dispose(): void;
}

const remotePrefixes = ['http://', 'https://', 'git://', 'github.com/', 'git@'];

/**
 * The URL to hand to the engine when the build's context is remote: `remote`, or a `path` that
 * is a URL (as docker-py allows). `undefined` for a local context.
 *
 * @example
 * ```ts
 * remoteContextOf({ path: 'https://github.com/me/app.git#main' }); // 'https://github.com/me/app.git#main'
 * ```
 * @internal
 */
export function remoteContextOf(options: BuildOptions): string | undefined {
  if (options.remote !== undefined) return options.remote;
  if (options.path !== undefined && remotePrefixes.some((prefix) => options.path?.startsWith(prefix))) return options.path;
  return undefined;
}

/**
 * Checks that the options name exactly one build source and only options that fit it. Throws
 * `InvalidArgumentError`; sends nothing.
 *
 * @example
 * ```ts
 * checkBuildSource({ path: './app', customContext: true }); // throws: customContext needs file
 * ```
 * @internal
 */
export function checkBuildSource(options: BuildOptions): void {
  const remote = remoteContextOf(options);
  // A path that is itself the remote URL is not a second source.
  const localPath = options.remote === undefined && remote !== undefined ? undefined : options.path;
  const sources = [localPath !== undefined, options.file !== undefined, remote !== undefined].filter(Boolean).length;
  if (sources !== 1) {
    throw new InvalidArgumentError(
      sources === 0
        ? 'build needs a source: path (a context directory), file (a Dockerfile or, with customContext, a context tar) or remote.'
        : 'build takes one source only: path, file or remote.',
      { argument: 'path' },
    );
  }
  if (options.customContext === true && options.file === undefined) {
    throw new InvalidArgumentError('customContext needs the context tar in file.', { argument: 'customContext' });
  }
  if (options.encoding !== undefined && options.customContext !== true) {
    throw new InvalidArgumentError('encoding applies to a customContext tar only.', { argument: 'encoding' });
  }
  if (options.gzip === true && (remote !== undefined || options.customContext === true)) {
    throw new InvalidArgumentError('gzip applies to a context Berth packs (path, or a Dockerfile as file) only.', { argument: 'gzip' });
  }
  if (options.file !== undefined && options.customContext !== true && options.dockerfile !== undefined) {
    throw new InvalidArgumentError('dockerfile cannot be combined with a Dockerfile given as file.', { argument: 'dockerfile' });
  }
  if (options.customContext === true && typeof options.file === 'string') {
    throw new InvalidArgumentError('A customContext must be a tar (bytes or a stream), not a string.', { argument: 'file' });
  }
}

/**
 * Produces the context to upload: packs a directory (through `@berth/build-context`), wraps a
 * Dockerfile into a one-file context, passes a ready tar through, or names the remote URL.
 * Call after {@link checkBuildSource}.
 *
 * @example
 * ```ts
 * const context = await resolveBuildContext({ path: './app', dockerfile: '../Dockerfile.app' });
 * ```
 * @internal
 */
export async function resolveBuildContext(options: BuildOptions): Promise<ResolvedBuildContext> {
  const remote = remoteContextOf(options);
  if (remote !== undefined) return { remote, dispose: () => {} };
  if (options.path !== undefined) {
    const { packDirectory } = await loadBuildContextPackage();
    // Like docker-py, a relative Dockerfile path is relative to the context directory.
    const dockerfile = options.dockerfile === undefined ? undefined : resolve(options.path, options.dockerfile);
    const packed = await packDirectory(options.path, {
      ...definedEntries({ dockerfile, signal: options.signal, gzip: options.gzip }),
    });
    return { body: packed.stream, dockerfile: packed.dockerfile, dispose: () => packed.stream.destroy() };
  }
  const file = options.file as NonNullable<BuildOptions['file']>;
  if (options.customContext === true) {
    const body = toUploadBody(file as UploadBody);
    return {
      body,
      ...definedEntries({ dockerfile: options.dockerfile }),
      dispose: () => {
        if (body instanceof Readable) body.destroy();
      },
    };
  }
  const { packDockerfile } = await loadBuildContextPackage();
  const content = typeof file === 'string' || file instanceof Readable ? file : toUploadBody(file as UploadBody);
  const packed = await packDockerfile(content, {
    ...definedEntries({ signal: options.signal, gzip: options.gzip }),
  });
  return { body: packed.stream, dockerfile: packed.dockerfile, dispose: () => packed.stream.destroy() };
}

/** Loaded on first use: collections that never pack a context do not load the tar machinery. */
async function loadBuildContextPackage(): Promise<typeof import('@berth/build-context')> {
  return import('@berth/build-context');
}
