// A Dockerfile given as text or as a stream, read into memory: a tar header needs the size up
// front, and Dockerfiles are small.
import type { Readable } from 'node:stream';
import { InvalidArgumentError } from '@berth/engine-protocol';

/**
 * Dockerfile content accepted by `packDockerfile` and `packDirectory`'s `dockerfileContent`:
 * text (UTF-8), bytes, or a readable stream (read whole into memory).
 *
 * @example
 * ```ts
 * const content: DockerfileContent = createReadStream('./docker/app.Dockerfile');
 * const { stream, dockerfile } = await packDirectory('./app', { dockerfileContent: content });
 * ```
 */
export type DockerfileContent = string | Uint8Array | Readable;

/**
 * Collects Dockerfile content into bytes (strings as UTF-8). A stream that fails rejects with
 * `InvalidArgumentError` (argument `argumentName`).
 *
 * @example
 * ```ts
 * await readDockerfileContent('FROM scratch\n', 'content'); // <Buffer 46 52 4f 4d …>
 * ```
 */
export async function readDockerfileContent(content: DockerfileContent, argumentName: string): Promise<Buffer> {
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  if (content instanceof Uint8Array) return Buffer.from(content);
  if (content === null || typeof content !== 'object' || typeof content[Symbol.asyncIterator] !== 'function') {
    throw new InvalidArgumentError(`The Dockerfile content must be a string, bytes or a readable stream.`, { argument: argumentName });
  }
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of content) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk as Uint8Array));
  } catch (error) {
    throw new InvalidArgumentError('Reading the Dockerfile content failed.', { argument: argumentName, cause: error });
  }
  return Buffer.concat(chunks);
}
