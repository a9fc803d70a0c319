import { ConnectionError, TimeoutError } from '@berth/engine-protocol';
import type { Client, ClientChannel } from 'ssh2';
import { ChannelSocket, type ChannelCloseInfo } from './channel-socket.js';
import { connectSsh, type SshConnectSettings, type SshConnection } from './ssh-connection.js';
import type { SshSessionStatistics } from './ssh-session-statistics.js';

/** How a transport mode opens its channel and judges its end. */
export interface ChannelKind {
  /** Opens one channel on a ready connection (rejects with ssh2's own errors). */
  open(client: Client): Promise<ClientChannel>;
  /** Turns a failure of {@link ChannelKind.open} into a Berth error. */
  describeOpenError(error: unknown): Error;
  /** Turns a channel's end into an error, or `undefined` for an ordinary end of stream. */
  describeClose(info: ChannelCloseInfo): Error | undefined;
  /** Whether the remote EOF ends the socket at once (see `ChannelSocketHooks.endOnEof`). */
  readonly endOnEof: boolean;
}

/** Options of {@link SshSession}. */
export interface SshSessionOptions {
  /** Resolves the connection settings; called for every (re)connection, so file edits apply. */
  readonly resolveSettings: () => Promise<SshConnectSettings>;
  /** The mode's channels. */
  readonly channel: ChannelKind;
  /** Milliseconds the SSH connection stays open without any channel before it is closed. */
  readonly idleTimeout: number;
  /** Milliseconds to wait for the server to open a channel. */
  readonly openTimeout: number;
}

interface LiveConnection extends SshConnection {
  lost: boolean;
}

/**
 * One SSH connection at a time, shared by every HTTP connection of the transport: each channel
 * is one HTTP connection. Connects on first use, reconnects on the next use after the
 * connection dropped, closes itself after `idleTimeout` without channels, and keeps the
 * process alive only while undici has work on one of its channels.
 */
export class SshSession {
  readonly #options: SshSessionOptions;
  #connection: LiveConnection | undefined;
  #connecting: Promise<LiveConnection> | undefined;
  #closed = false;
  /** Fires on close(): a handshake or channel open in progress gives up at once. */
  readonly #closing = new AbortController();
  #connectionsOpened = 0;
  #channelsOpened = 0;
  #pendingOpens = 0;
  readonly #sockets = new Set<ChannelSocket>();
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(options: SshSessionOptions) {
    this.#options = options;
  }

  /** Current counters. */
  get statistics(): SshSessionStatistics {
    return {
      connectionsOpened: this.#connectionsOpened,
      channelsOpened: this.#channelsOpened,
      openChannels: this.#sockets.size,
      connected: this.#connection !== undefined && !this.#connection.lost,
    };
  }

  /** Opens a channel (connecting first when needed) wrapped as a socket for undici. */
  async openChannel(): Promise<ChannelSocket> {
    if (this.#closed) throw new ConnectionError('The SSH transport is closed.', { causeCode: 'SSH_TRANSPORT_CLOSED' });
    this.#pendingOpens += 1;
    this.#clearIdleTimer();
    try {
      let connection = await this.#connect();
      let channel: ClientChannel;
      try {
        channel = await this.#open(connection);
      } catch (error) {
        if (error instanceof TimeoutError || this.#closed) throw error;
        // The connection died between the check and the open: one attempt on a fresh one.
        if (!connection.lost && connection.socket.writable) throw this.#options.channel.describeOpenError(error);
        connection.lost = true;
        connection = await this.#connect();
        channel = await this.#open(connection).catch((retryError: unknown) => {
          throw retryError instanceof TimeoutError || this.#closed ? retryError : this.#options.channel.describeOpenError(retryError);
        });
      }
      if (this.#closed) {
        channel.close();
        throw new ConnectionError('The SSH transport is closed.', { causeCode: 'SSH_TRANSPORT_CLOSED' });
      }
      this.#channelsOpened += 1;
      const socket = new ChannelSocket(channel, {
        describeClose: (info) => this.#options.channel.describeClose(info),
        connectionLost: () => connection.lost,
        released: (released) => {
          this.#sockets.delete(released);
          this.#updateReference();
        },
        referenceChanged: () => this.#updateReference(),
        endOnEof: this.#options.channel.endOnEof,
      });
      this.#sockets.add(socket);
      return socket;
    } finally {
      this.#pendingOpens -= 1;
      this.#updateReference();
    }
  }

  /** Ends the SSH connection and refuses new channels. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#closing.abort();
    this.#clearIdleTimer();
    for (const socket of this.#sockets) socket.destroy();
    const connection = this.#connection ?? (await this.#connecting?.catch(() => undefined));
    this.#connection = undefined;
    if (connection && !connection.lost) await endConnection(connection);
  }

  /** Opens a channel, giving up after `openTimeout` (a channel that opens later is closed). */
  #open(connection: LiveConnection): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      let gaveUp = false;
      const giveUp = (error: Error): void => {
        gaveUp = true;
        clearTimeout(timer);
        this.#closing.signal.removeEventListener('abort', onClose);
        reject(error);
      };
      const onClose = (): void => giveUp(new ConnectionError('The SSH transport is closed.', { causeCode: 'SSH_TRANSPORT_CLOSED' }));
      const timer = setTimeout(() => {
        giveUp(new TimeoutError(`The SSH server took more than ${this.#options.openTimeout} ms to open a channel.`, { causeCode: 'SSH_CHANNEL_OPEN_TIMEOUT' }));
      }, this.#options.openTimeout);
      this.#closing.signal.addEventListener('abort', onClose, { once: true });
      this.#options.channel.open(connection.client).then(
        (channel) => {
          if (gaveUp) {
            channel.close();
            return;
          }
          clearTimeout(timer);
          this.#closing.signal.removeEventListener('abort', onClose);
          resolve(channel);
        },
        (error: unknown) => {
          if (gaveUp) return;
          clearTimeout(timer);
          this.#closing.signal.removeEventListener('abort', onClose);
          reject(error);
        },
      );
    });
  }

  async #connect(): Promise<LiveConnection> {
    if (this.#connection && !this.#connection.lost) return this.#connection;
    this.#connecting ??= this.#options
      .resolveSettings()
      .then((settings) => connectSsh(settings, this.#closing.signal))
      .then((opened) => {
        const connection: LiveConnection = { ...opened, lost: false };
        this.#connectionsOpened += 1;
        const markLost = (): void => {
          connection.lost = true;
          if (this.#connection === connection) this.#connection = undefined;
          this.#updateReference();
        };
        // Channels learn about the loss through `lost` before ssh2 closes them.
        connection.client.on('close', markLost);
        connection.client.on('end', markLost);
        connection.client.on('error', () => markLost());
        this.#connection = connection;
        if (this.#closed) {
          void endConnection(connection);
          throw new ConnectionError('The SSH transport is closed.', { causeCode: 'SSH_TRANSPORT_CLOSED' });
        }
        return connection;
      })
      .finally(() => {
        this.#connecting = undefined;
      });
    return this.#connecting;
  }

  /** Keeps the TCP socket ref'd only while a channel is being opened or undici uses one. */
  #updateReference(): void {
    const connection = this.#connection;
    if (!connection || connection.lost) return;
    const busy = this.#pendingOpens > 0 || [...this.#sockets].some((socket) => socket.referenced);
    if (busy) connection.socket.ref();
    else connection.socket.unref();
    if (this.#sockets.size === 0 && this.#pendingOpens === 0) this.#startIdleTimer();
    else this.#clearIdleTimer();
  }

  #startIdleTimer(): void {
    if (this.#idleTimer !== undefined || this.#closed) return;
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      const connection = this.#connection;
      if (connection && this.#sockets.size === 0 && this.#pendingOpens === 0) {
        this.#connection = undefined;
        connection.lost = true;
        void endConnection(connection, false);
      }
    }, this.#options.idleTimeout);
    this.#idleTimer.unref();
  }

  #clearIdleTimer(): void {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
  }
}

/**
 * Sends the SSH disconnect and waits (briefly) for the socket to close. `holdProcess` keeps the
 * process alive meanwhile, for a caller that awaits the close.
 */
function endConnection(connection: SshConnection, holdProcess = true): Promise<void> {
  return new Promise((resolve) => {
    if (connection.socket.destroyed) {
      resolve();
      return;
    }
    if (holdProcess) connection.socket.ref();
    const timer = setTimeout(() => {
      connection.socket.destroy();
      resolve();
    }, 2_000);
    if (!holdProcess) timer.unref();
    connection.socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    connection.client.end();
  });
}
