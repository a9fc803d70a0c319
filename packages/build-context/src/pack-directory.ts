// packDirectory: a local directory as a build context, filtered and archived exactly as
// `docker build <dir>` (classic builder path of the Docker CLI) archives it.
import { InvalidArgumentError } from '@berth/engine-protocol';
import { attachSignal } from './attach-signal.js';
import type { BuildContext } from './build-context.js';
import { PatternMatcher } from './dockerignore/pattern-matcher.js';
import type { DockerfileContent } from './read-dockerfile-content.js';
import { readDockerignoreRules, resolveContextDirectory, resolveDockerfile } from './resolve-inputs.js';
import { ArchiveProducer } from './tar/archive-producer.js';
import { ContextStream } from './tar/context-stream.js';
import { throwIfAborted } from './throw-if-aborted.js';
import { listContext } from './walk/walk-context.js';
import { contextArchiveItems, type ContextArchivePlan } from './write-context-archive.js';

/**
 * Options of {@link packDirectory}.
 *
 * @example
 * ```ts
 * const options: PackDirectoryOptions = {
 *   dockerfile: './docker/app.Dockerfile',
 *   dockerignore: 'node_modules\n*.log\n',
 *   gzip: true,
 * };
 * const { stream, dockerfile } = await packDirectory('./app', options);
 * ```
 */
export interface PackDirectoryOptions {
  /**
   * Path of the Dockerfile, absolute or relative to the current working directory (as
   * `docker build -f`). Default: `Dockerfile` in the context (or `dockerfile` when only that
   * exists). A Dockerfile outside the context is added to the archive under a generated name.
   */
  readonly dockerfile?: string;
  /** The Dockerfile's content instead of a file; added under a generated name. Excludes `dockerfile`. */
  readonly dockerfileContent?: DockerfileContent;
  /**
   * The text of a `.dockerignore` to use instead of the context's own. The context's
   * `.dockerignore` file, if any, is still sent (as the CLI always sends it). BuildKit's
   * per-Dockerfile ignore file (`app.Dockerfile.dockerignore`) is not picked up on its own,
   * as the classic `docker build` does not either; pass its text here to use it.
   */
  readonly dockerignore?: string;
  /** Aborts validation, or destroys the stream with `AbortedError` once it exists. */
  readonly signal?: AbortSignal;
  /** Compress the archive with gzip (the engine accepts it as is). Default false. */
  readonly gzip?: boolean;
}

/**
 * Archives a directory as a Docker build context, with the Docker CLI's rules:
 *
 * - `.dockerignore` read as the CLI reads it (comments, trimming, path cleaning, `!`
 *   exceptions where the last match wins, `*`, `?`, `[...]`, `\`, `**`) and applied as the
 *   CLI's archiver applies it (a matched directory drops everything below it, and is still
 *   entered when an exception names a path below it; such a directory gets no entry itself);
 * - the Dockerfile and `.dockerignore` are always sent, even when ignored;
 * - a Dockerfile outside the context, or given as `dockerfileContent`, is added as
 *   `.dockerfile.<20 hex digits>` and that name appended to the archived `.dockerignore`;
 * - entries in `filepath.WalkDir` order; owner 0:0 and empty user/group names; permission
 *   bits and mtime (whole seconds, floored; a time before 1970 in a PAX record, as the CLI
 *   sends it) kept; symbolic links archived as links, never followed;
 *   hard links to an already archived file as link entries; sockets, FIFOs and devices left out.
 *
 * Before resolving, the inputs are checked and every file to be sent is opened once; a
 * missing context, a context that is not a directory, a missing Dockerfile, an invalid
 * pattern or an unreadable file rejects with `InvalidArgumentError` naming it.
 *
 * @example
 * ```ts
 * const { stream, dockerfile } = await packDirectory('./app', { dockerfile: './docker/app.Dockerfile' });
 * const progress = await buildImage(client, { body: stream, dockerfile, t: ['app:dev'] });
 * ```
 */
export async function packDirectory(contextPath: string, options: PackDirectoryOptions = {}): Promise<BuildContext> {
  throwIfAborted(options.signal);
  if (options.dockerfile !== undefined && options.dockerfileContent !== undefined) {
    throw new InvalidArgumentError('Give either dockerfile or dockerfileContent, not both.', { argument: 'dockerfileContent' });
  }
  const root = await resolveContextDirectory(contextPath);
  const dockerfile = await resolveDockerfile(root, { dockerfile: options.dockerfile, content: options.dockerfileContent });
  const rules = await readDockerignoreRules(root, options.dockerignore);
  const matcher = new PatternMatcher(rules.patterns);
  const forcedPaths = new Set(['.dockerignore']);
  if (dockerfile.kind === 'inContext') forcedPaths.add(dockerfile.relativePath);
  throwIfAborted(options.signal);

  // One walk lists the context and opens every file once (an unreadable file fails here).
  const entries = await listContext({ root, matcher, forcedPaths }, options.signal);
  throwIfAborted(options.signal);

  const plan: ContextArchivePlan =
    dockerfile.kind === 'generated'
      ? { generatedDockerfile: { name: dockerfile.name, content: dockerfile.content, dockerignoreContent: rules.fileContent } }
      : {};
  const producer = new ArchiveProducer(() => contextArchiveItems(entries, plan));
  const stream = new ContextStream(producer, { gzip: options.gzip === true });
  attachSignal(stream, options.signal);
  return { stream, dockerfile: dockerfile.kind === 'generated' ? dockerfile.name : dockerfile.relativePath };
}
