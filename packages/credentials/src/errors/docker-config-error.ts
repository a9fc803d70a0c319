import { BerthError, type BerthErrorOptions } from '@berth/engine-protocol';

/**
 * Options of {@link DockerConfigError}.
 *
 * @example
 * ```ts
 * new DockerConfigError('/home/me/.docker/config.json is not valid JSON.', { source: '/home/me/.docker/config.json' });
 * ```
 */
export interface DockerConfigErrorOptions extends BerthErrorOptions {
  /** The file path, or `DOCKER_AUTH_CONFIG` for the environment variable. */
  source: string;
}

/**
 * A Docker config file (or `DOCKER_AUTH_CONFIG`) could not be read, parsed or written. The
 * message names the source and, for bad JSON, the line and column; it never quotes the
 * content, which holds credentials.
 *
 * @example
 * ```ts
 * try {
 *   await loadDockerConfig();
 * } catch (error) {
 *   if (error instanceof DockerConfigError) console.error(`fix ${error.source}`);
 * }
 * ```
 */
export class DockerConfigError extends BerthError {
  static override readonly brandName: string = 'DockerConfigError';
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = 'BERTH_DOCKER_CONFIG';
  override name = 'DockerConfigError';
  /** The file path, or `DOCKER_AUTH_CONFIG`. */
  readonly source: string;

  constructor(shortMessage: string, options: DockerConfigErrorOptions) {
    super(shortMessage, options);
    this.source = options.source;
  }
}
