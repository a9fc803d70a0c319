import { BerthError, type BerthErrorOptions } from '@berth/engine-protocol';

/**
 * The helper command a {@link CredentialHelperError} is about.
 *
 * @example
 * ```ts
 * if (error instanceof CredentialHelperError && error.operation === 'store') console.error('could not save the login');
 * ```
 */
export type CredentialHelperOperation = 'get' | 'store' | 'erase' | 'list';

/**
 * Why a credential helper failed:
 * - `not-installed`: no `docker-credential-<name>` executable on PATH;
 * - `spawn-failed`: it exists but could not be started (permissions, bad interpreter);
 * - `exit-code`: it exited with a non-zero code (other than "credentials not found");
 * - `timeout`: it did not finish in time and was killed;
 * - `invalid-output`: it succeeded but printed something that is not the protocol's JSON.
 *
 * @example
 * ```ts
 * if (error instanceof CredentialHelperError && error.reason === 'not-installed') console.error(`install ${error.helper}`);
 * ```
 */
export type CredentialHelperFailure = 'not-installed' | 'spawn-failed' | 'exit-code' | 'timeout' | 'invalid-output';

/**
 * Options of {@link CredentialHelperError}.
 *
 * @example
 * ```ts
 * new CredentialHelperError('Credential helper docker-credential-pass (get) timed out.', { helper: 'docker-credential-pass', operation: 'get', reason: 'timeout' });
 * ```
 */
export interface CredentialHelperErrorOptions extends BerthErrorOptions {
  /** Program name, e.g. `docker-credential-pass`. */
  helper: string;
  /** The command that failed. */
  operation: CredentialHelperOperation;
  /** What went wrong. */
  reason: CredentialHelperFailure;
  /** The server URL the command was about, when it had one. */
  serverUrl?: string | undefined;
  /** The helper's exit code, for `exit-code`. */
  exitCode?: number | undefined;
}

/**
 * A `docker-credential-*` helper failed for a reason other than "credentials not found". The
 * message names the helper and the command; it never contains what the helper printed on its
 * credential-carrying channel (stdout of `get`/`list`) nor anything sent to it.
 *
 * @example
 * ```ts
 * try {
 *   await store.get('localhost:5000');
 * } catch (error) {
 *   if (error instanceof CredentialHelperError) console.error(error.helper, error.reason);
 * }
 * ```
 */
export class CredentialHelperError extends BerthError {
  static override readonly brandName: string = 'CredentialHelperError';
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = 'BERTH_CREDENTIAL_HELPER';
  override name = 'CredentialHelperError';
  /** Program name, e.g. `docker-credential-pass`. */
  readonly helper: string;
  /** The command that failed. */
  readonly operation: CredentialHelperOperation;
  /** What went wrong. */
  readonly reason: CredentialHelperFailure;
  /** The server URL the command was about, when it had one. */
  readonly serverUrl: string | undefined;
  /** The helper's exit code, for `exit-code`. */
  readonly exitCode: number | undefined;

  constructor(shortMessage: string, options: CredentialHelperErrorOptions) {
    super(shortMessage, options);
    this.helper = options.helper;
    this.operation = options.operation;
    this.reason = options.reason;
    this.serverUrl = options.serverUrl;
    this.exitCode = options.exitCode;
  }
}
