import { InvalidArgumentError } from '@berth/engine-protocol';
import { MAX_TIMEOUT, redactUrl } from '@berth/engine-protocol/internal';
import {
  CredentialHelperError,
  type CredentialHelperFailure,
  type CredentialHelperOperation,
} from '../errors/credential-helper-error.js';
import { REDACTED, scrubSecrets, withRedactedView } from '../redaction/redact.js';
import { findExecutable } from './find-executable.js';
import { runHelperProcess, type HelperProcessFailure, type HelperProcessResult } from './run-helper.js';

/**
 * Options of {@link CredentialHelper}.
 *
 * @example
 * ```ts
 * const helper = new CredentialHelper('pass', { environment: { PATH: '/opt/helpers/bin' }, timeout: 5_000 });
 * ```
 */
export interface CredentialHelperOptions {
  /** Environment of the helper; its `PATH` is where the program is looked up. Default: `process.env`. */
  readonly environment?: Readonly<Record<string, string | undefined>> | undefined;
  /** Milliseconds a helper may take before it is killed. Default: 30 000. */
  readonly timeout?: number | undefined;
}

/**
 * One set of credentials as the helper protocol carries it. Printing it shows the secret as
 * `[redacted]`. A `username` of `<token>` means `secret` is an identity token.
 *
 * @example
 * ```ts
 * // An identity token from a login is stored under the username `<token>`, as the docker CLI does.
 * const credentials: HelperCredentials = { serverUrl: 'localhost:5000', username: IDENTITY_TOKEN_USERNAME, secret: token };
 * await new CredentialHelper('pass').store(credentials);
 * ```
 */
export interface HelperCredentials {
  /** The registry the credentials are for. */
  readonly serverUrl: string;
  /** User name, or `<token>` for an identity token. */
  readonly username: string;
  /** Password or identity token. */
  readonly secret: string;
}

/** What the helper protocol prints when it has nothing for the server. */
const notFoundMessage = 'credentials not found in native keychain';
/**
 * Docker's marker for "the secret is an identity token".
 *
 * @example
 * ```ts
 * const credentials = await new CredentialHelper('pass').get('localhost:5000');
 * const isToken = credentials?.username === IDENTITY_TOKEN_USERNAME;
 * ```
 */
export const IDENTITY_TOKEN_USERNAME = '<token>';
const defaultTimeout = 30_000;
const helperPrefix = 'docker-credential-';

/** A one-line, bounded excerpt of what a helper said about a failure. */
function excerpt(text: string, secrets: readonly string[]): string | undefined {
  const line = scrubSecrets(text, secrets).replace(/\s+/g, ' ').trim();
  if (line === '') return undefined;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/**
 * Talks to one `docker-credential-<name>` program using the Docker credential helper protocol:
 * `get` (stdin: server URL; stdout: `{"ServerURL","Username","Secret"}`), `store` (stdin: that
 * JSON), `erase` (stdin: server URL) and `list` (stdout: `{url: username}`). "credentials not
 * found in native keychain" is an answer, not an error. Any other failure (missing program,
 * non-zero exit, timeout, output that is not the protocol's JSON) rejects with a
 * `CredentialHelperError` naming the program; the error never carries the secret sent to the
 * helper nor what `get`/`list` printed.
 *
 * @example
 * ```ts
 * const helper = new CredentialHelper('pass');
 * await helper.store({ serverUrl: 'localhost:5000', username: 'me', secret: process.env.REGISTRY_PASSWORD! });
 * const credentials = await helper.get('localhost:5000'); // { serverUrl, username: 'me', secret: '…' }
 * ```
 */
export class CredentialHelper {
  /** The suffix, e.g. `pass`. */
  readonly name: string;
  /** The program, e.g. `docker-credential-pass`. */
  readonly program: string;
  readonly #environment: Readonly<Record<string, string | undefined>>;
  readonly #timeout: number;

  constructor(name: string, options: CredentialHelperOptions = {}) {
    if (typeof name !== 'string' || name === '' || /[\\/\0]/.test(name) || name === '.' || name === '..') {
      throw new InvalidArgumentError(`Invalid credential helper name ${JSON.stringify(name)}: it must be a plain program suffix such as "pass".`, {
        argument: 'name',
      });
    }
    const timeout = options.timeout ?? defaultTimeout;
    // A helper must always be bounded: no "0 means none" here.
    if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0 || timeout > MAX_TIMEOUT) {
      throw new InvalidArgumentError(`timeout must be a number of milliseconds from 1 to ${MAX_TIMEOUT}, got ${String(timeout)}.`, { argument: 'timeout' });
    }
    this.name = name;
    this.program = helperPrefix + name;
    this.#environment = options.environment ?? process.env;
    this.#timeout = timeout;
  }

  /**
   * The credentials the helper holds for `serverUrl`, or `undefined` when it has none.
   *
   * @example
   * ```ts
   * const credentials = await new CredentialHelper('pass').get('https://index.docker.io/v1/');
   * ```
   */
  async get(serverUrl: string): Promise<HelperCredentials | undefined> {
    const result = await this.#run('get', serverUrl, serverUrl, []);
    if (result === 'not-found') return undefined;
    const reply = this.#parseJson(result.stdout, 'get', serverUrl);
    const username = reply?.['Username'] ?? '';
    const secret = reply?.['Secret'] ?? '';
    if (reply === undefined || typeof username !== 'string' || typeof secret !== 'string') {
      throw this.#error('get', serverUrl, 'invalid-output', 'printed JSON without string "Username" and "Secret" fields');
    }
    // Some helpers answer "nothing" with empty fields and exit code 0.
    if (username === '' && secret === '') return undefined;
    return createHelperCredentials({ serverUrl, username, secret });
  }

  /**
   * Saves credentials in the helper's store.
   *
   * @example
   * ```ts
   * await new CredentialHelper('pass').store({ serverUrl: 'localhost:5000', username: 'me', secret: password });
   * ```
   */
  async store(credentials: HelperCredentials): Promise<void> {
    const payload = JSON.stringify({ ServerURL: credentials.serverUrl, Username: credentials.username, Secret: credentials.secret });
    const result = await this.#run('store', payload, credentials.serverUrl, [credentials.secret, payload]);
    if (result === 'not-found') throw this.#error('store', credentials.serverUrl, 'exit-code', 'answered "credentials not found" to store');
  }

  /**
   * Removes the credentials for `serverUrl`. Nothing stored is not an error.
   *
   * @example
   * ```ts
   * await new CredentialHelper('pass').erase('localhost:5000');
   * ```
   */
  async erase(serverUrl: string): Promise<void> {
    await this.#run('erase', serverUrl, serverUrl, []);
  }

  /**
   * Every server URL the helper holds credentials for, with its user name.
   *
   * @example
   * ```ts
   * const servers = Object.keys(await new CredentialHelper('pass').list());
   * ```
   */
  async list(): Promise<Record<string, string>> {
    const result = await this.#run('list', 'unused', undefined, []);
    if (result === 'not-found') return {};
    const reply = this.#parseJson(result.stdout, 'list', undefined);
    if (reply === undefined || !Object.values(reply).every((value) => typeof value === 'string')) {
      throw this.#error('list', undefined, 'invalid-output', 'printed something other than a JSON object of strings');
    }
    return reply as Record<string, string>;
  }

  /**
   * Names the program (a helper object holds no secrets).
   *
   * @example
   * ```ts
   * String(new CredentialHelper('pass')); // 'CredentialHelper(docker-credential-pass)'
   * ```
   */
  toString(): string {
    return `CredentialHelper(${this.program})`;
  }

  async #run(
    operation: CredentialHelperOperation,
    input: string,
    serverUrl: string | undefined,
    secrets: readonly string[],
  ): Promise<HelperProcessResult | 'not-found'> {
    const executable = await findExecutable(this.program, this.#environment);
    if (executable === undefined) {
      throw this.#error(operation, serverUrl, 'not-installed', 'is not installed (not found on PATH)', {
        details: `Install ${this.program}, add its directory to PATH, or remove it from credsStore/credHelpers in config.json.`,
      });
    }
    const outcome = await runHelperProcess(executable, operation, input, this.#environment, this.#timeout);
    if (isFailure(outcome)) {
      if (outcome.kind === 'timeout') {
        throw this.#error(operation, serverUrl, 'timeout', `did not answer within ${this.#timeout} ms and was killed`, {
          details: 'A helper may be waiting for a password prompt or a locked keychain.',
        });
      }
      const code = (outcome.cause as NodeJS.ErrnoException | undefined)?.code;
      throw this.#error(operation, serverUrl, 'spawn-failed', `could not be started (${code ?? 'unknown error'})`, { cause: outcome.cause });
    }
    if (outcome.exitCode === 0) return outcome;
    if (outcome.stdout.includes(notFoundMessage) && (operation === 'get' || operation === 'erase' || operation === 'list')) {
      return 'not-found';
    }
    // stdout of get/list is the credential channel: never repeat it. What store/erase print is
    // the helper's error text; the secret that was sent is scrubbed from it all the same, in
    // every encoding it may be echoed in (store sends it JSON-escaped).
    const said = [
      operation === 'get' || operation === 'list' ? undefined : excerpt(outcome.stdout, secrets),
      excerpt(outcome.stderr, secrets),
    ].filter((text): text is string => text !== undefined);
    const how = outcome.exitCode === null ? 'was killed by a signal' : `exited with code ${outcome.exitCode}`;
    throw this.#error(operation, serverUrl, 'exit-code', how, {
      exitCode: outcome.exitCode ?? undefined,
      metaMessages: said.length > 0 ? [`Helper said: ${said.join(' | ')}`] : [],
    });
  }

  #parseJson(stdout: string, operation: CredentialHelperOperation, serverUrl: string | undefined): Record<string, unknown> | undefined {
    let value: unknown;
    try {
      value = JSON.parse(stdout);
    } catch {
      // The output is not quoted: it could be a secret printed the wrong way.
      throw this.#error(operation, serverUrl, 'invalid-output', `printed ${stdout.trim() === '' ? 'nothing' : `${Buffer.byteLength(stdout)} bytes that are not JSON`}`);
    }
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  }

  #error(
    operation: CredentialHelperOperation,
    serverUrl: string | undefined,
    reason: CredentialHelperFailure,
    what: string,
    extra: { details?: string; cause?: unknown; exitCode?: number | undefined; metaMessages?: string[] } = {},
  ): CredentialHelperError {
    const about = serverUrl === undefined ? '' : ` for ${redactUrl(serverUrl)}`;
    return new CredentialHelperError(`Credential helper ${this.program} (${operation}${about}) ${what}.`, {
      helper: this.program,
      operation,
      reason,
      serverUrl: serverUrl === undefined ? undefined : redactUrl(serverUrl),
      ...extra,
    });
  }
}

function isFailure(outcome: HelperProcessResult | HelperProcessFailure): outcome is HelperProcessFailure {
  return 'kind' in outcome;
}

/**
 * Wraps credentials so that `util.inspect` and `JSON.stringify` show `[redacted]` for the secret.
 *
 * @example
 * ```ts
 * const credentials = createHelperCredentials({ serverUrl: 'localhost:5000', username: 'me', secret: 'pw' });
 * JSON.stringify(credentials); // '{"serverUrl":"localhost:5000","username":"me","secret":"[redacted]"}'
 * ```
 */
export function createHelperCredentials(credentials: HelperCredentials): HelperCredentials {
  const copy = { serverUrl: credentials.serverUrl, username: credentials.username, secret: credentials.secret };
  return Object.freeze(withRedactedView(copy, () => ({ ...copy, secret: REDACTED }), { json: true }));
}
