import { ConnectionError, errorCode } from '@berth/engine-protocol';

type Ssh2 = typeof import('ssh2');

let loaded: Ssh2 | undefined;

/**
 * The `ssh2` package, imported on first use rather than with this package: it is most of
 * transport-ssh's import cost, and nothing needs it before a connection (or a key) is made.
 * A failure to load it is a `ConnectionError` saying so; the next call tries again.
 *
 * @example
 * ```ts
 * const { Client } = await loadSsh2();
 * const client = new Client();
 * ```
 */
export async function loadSsh2(): Promise<Ssh2> {
  if (loaded !== undefined) return loaded;
  try {
    const module = await import('ssh2');
    loaded = module.default;
    return loaded;
  } catch (error) {
    throw new ConnectionError('Cannot load the ssh2 package, which the SSH transport connects with.', {
      cause: error,
      code: errorCode(error),
      details: error instanceof Error ? error.message : String(error),
    });
  }
}
