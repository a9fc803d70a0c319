// packDockerfile: a build context that holds nothing but a Dockerfile.
import { attachSignal } from './attach-signal.js';
import type { BuildContext } from './build-context.js';
import { readDockerfileContent, type DockerfileContent } from './read-dockerfile-content.js';
import { ArchiveProducer } from './tar/archive-producer.js';
import { generatedFileHeader } from './tar/entry-header.js';
import { ContextStream } from './tar/context-stream.js';
import { throwIfAborted } from './throw-if-aborted.js';

/**
 * Options of {@link packDockerfile}.
 *
 * @example
 * ```ts
 * const options: PackDockerfileOptions = { gzip: true, signal: AbortSignal.timeout(10_000) };
 * const { stream, dockerfile } = await packDockerfile('FROM busybox\n', options);
 * ```
 */
export interface PackDockerfileOptions {
  /** Destroys the stream with `AbortedError` when aborted. */
  readonly signal?: AbortSignal;
  /** Compress the archive with gzip. Default false. */
  readonly gzip?: boolean;
}

/**
 * A build context holding only `Dockerfile` (mode 0644, owner 0:0), as `docker build -`
 * makes from a Dockerfile on stdin. Stream content is read into memory first (a tar header
 * needs the size).
 *
 * @example
 * ```ts
 * const { stream, dockerfile } = await packDockerfile('FROM busybox\nRUN echo hi\n');
 * await buildImage(client, { body: stream, dockerfile, networkmode: 'none' });
 * ```
 */
export async function packDockerfile(content: DockerfileContent, options: PackDockerfileOptions = {}): Promise<BuildContext> {
  throwIfAborted(options.signal);
  const bytes = await readDockerfileContent(content, 'content');
  throwIfAborted(options.signal);
  const producer = new ArchiveProducer([{ header: generatedFileHeader('Dockerfile', bytes.byteLength, 0o644), content: bytes }]);
  const stream = new ContextStream(producer, { gzip: options.gzip === true });
  attachSignal(stream, options.signal);
  return { stream, dockerfile: 'Dockerfile' };
}
