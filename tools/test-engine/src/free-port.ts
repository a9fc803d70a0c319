import { createServer } from 'node:net';

/**
 * A TCP port free on 127.0.0.1 right now. Another process may take it before the caller
 * binds it, so callers retry on failure.
 *
 * @example
 * ```ts
 * const address = `127.0.0.1:${await freeLoopbackPort()}`;
 * ```
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('The OS gave no port on 127.0.0.1.')),
      );
    });
  });
}
