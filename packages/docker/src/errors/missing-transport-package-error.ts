import { BerthError, type BerthErrorOptions } from '@berth/engine-protocol';

/**
 * The endpoint needs an optional transport package that is not installed (`tcp://` needs
 * `@berth/transport-tcp`, `ssh://` needs `@berth/transport-ssh`). The message says what to
 * install.
 *
 * @example
 * ```ts
 * try {
 *   await createDocker({ host: 'ssh://me@build-box' });
 * } catch (error) {
 *   if (error instanceof MissingTransportPackageError) console.error(`run: ${error.installCommand}`);
 * }
 * ```
 */
export class MissingTransportPackageError extends BerthError {
  static override readonly brandName: string = 'MissingTransportPackageError';
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = 'BERTH_MISSING_TRANSPORT_PACKAGE';
  override name = 'MissingTransportPackageError';
  /** The package to install. */
  readonly packageName: string;
  /** `npm install <package>`. */
  readonly installCommand: string;

  constructor(parameters: { packageName: string; endpoint: string } & Pick<BerthErrorOptions, 'cause'>) {
    const installCommand = `npm install ${parameters.packageName}`;
    super(`${parameters.endpoint} needs the optional package ${parameters.packageName}, which is not installed.`, {
      cause: parameters.cause,
      details: `Install it next to @berth/docker: ${installCommand}`,
    });
    this.packageName = parameters.packageName;
    this.installCommand = installCommand;
  }
}
