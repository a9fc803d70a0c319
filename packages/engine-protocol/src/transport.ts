import type { Dispatcher } from 'undici';

/**
 * What a transport package hands to the protocol layer: an undici `Dispatcher` that knows how
 * to reach the engine (Unix socket, TCP+TLS, SSH channel, anything else), the origin to put in
 * request URLs, and a way to release it. The protocol package itself opens no sockets.
 *
 * @example
 * ```ts
 * import { Agent } from 'undici';
 * const agent = new Agent({ connect: { socketPath: '/var/run/docker.sock' } });
 * const transport: Transport = {
 *   type: 'custom',
 *   description: 'unix:///var/run/docker.sock',
 *   origin: 'http://localhost',
 *   dispatcher: agent,
 *   close: () => agent.close(),
 * };
 * ```
 */
export interface Transport {
  /** Short kind name: `unix`, `tcp`, `ssh`, or one of your own. */
  readonly type: string;
  /** Where this transport goes, for error messages; never contains credentials. */
  readonly description: string;
  /** Origin for request URLs (`http://localhost` for socket-like transports). */
  readonly origin: string;
  /** The dispatcher every request of the client goes through. */
  readonly dispatcher: Dispatcher;
  /**
   * Optional: turn a connection-level failure into a clearer error (for example naming the
   * socket path that is missing). Return `undefined` to keep the default mapping.
   */
  describeError?(error: unknown): Error | undefined;
  /** Closes pooled connections; the transport is unusable afterwards. */
  close(): Promise<void>;
}
