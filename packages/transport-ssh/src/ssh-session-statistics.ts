// The counters a transport exposes, in a file of their own: the public declarations reach them
// without reaching the session's ssh2 types (users need no @types/ssh2).

/**
 * Counters of an SSH transport's session, for tests and diagnostics; read them through
 * `SshTransport.statistics`.
 *
 * @example
 * ```ts
 * const transport = sshTransport({ url: 'ssh://deploy@build-1.example.com' });
 * const statistics: SshSessionStatistics = transport.statistics;
 * if (!statistics.connected) console.log(`idle; ${statistics.connectionsOpened} SSH connection(s) so far`);
 * ```
 */
export interface SshSessionStatistics {
  /** SSH connections opened (handshake completed) so far. */
  readonly connectionsOpened: number;
  /** Channels opened so far (one per HTTP connection of undici). */
  readonly channelsOpened: number;
  /** Channels open right now. */
  readonly openChannels: number;
  /** Whether an SSH connection is up right now. */
  readonly connected: boolean;
}
