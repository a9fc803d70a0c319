import { BerthError, type BerthErrorOptions } from './base-error.js';

/** Options of {@link InvalidArgumentError}. */
export interface InvalidArgumentErrorOptions extends BerthErrorOptions {
  /** Name of the offending argument or option. */
  argument?: string | undefined;
}

/**
 * An argument was refused before anything was sent: an invalid reference, a missing path,
 * a value of the wrong form.
 *
 * @example
 * ```ts
 * if (error instanceof InvalidArgumentError) console.log(error.argument);
 * ```
 */
export class InvalidArgumentError extends BerthError {
  static override readonly brandName: string = 'InvalidArgumentError';
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = 'BERTH_INVALID_ARGUMENT';
  override name = 'InvalidArgumentError';
  /** Name of the offending argument, when known. */
  readonly argument: string | undefined;

  constructor(shortMessage: string, options: InvalidArgumentErrorOptions = {}) {
    super(shortMessage, options);
    this.argument = options.argument;
  }
}

/**
 * An option needs a newer Engine API version than the one negotiated with (or pinned for)
 * this engine. Raised before the request is sent.
 *
 * @example
 * ```ts
 * if (error instanceof UnsupportedOptionError) console.log(error.option, error.requiredVersion);
 * ```
 */
export class UnsupportedOptionError extends InvalidArgumentError {
  static override readonly brandName: string = 'UnsupportedOptionError';
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = 'BERTH_UNSUPPORTED_OPTION';
  override name = 'UnsupportedOptionError';
  /** The option's name. */
  readonly option: string;
  /** The API version the option needs. */
  readonly requiredVersion: string;
  /** The API version in use. */
  readonly apiVersion: string;

  constructor(parameters: { option: string; requiredVersion: string; apiVersion: string; endpoint: string }) {
    super(
      `Option "${parameters.option}" of ${parameters.endpoint} needs Engine API ${parameters.requiredVersion} or newer; this client talks API ${parameters.apiVersion}.`,
      {
        argument: parameters.option,
        details: 'Upgrade the engine, unset DOCKER_API_VERSION / the pinned apiVersion, or leave the option out.',
      },
    );
    this.option = parameters.option;
    this.requiredVersion = parameters.requiredVersion;
    this.apiVersion = parameters.apiVersion;
  }
}

/**
 * Client and engine share no API version (the engine's minimum is above what this client
 * speaks, or a pinned version is outside the engine's range).
 *
 * @example
 * ```ts
 * if (error instanceof ApiVersionError) console.log(error.message);
 * ```
 */
export class ApiVersionError extends BerthError {
  static override readonly brandName: string = 'ApiVersionError';
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = 'BERTH_API_VERSION';
  override name = 'ApiVersionError';
}
