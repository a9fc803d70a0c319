import { Duplex } from 'node:stream';
import type { ClientChannel } from 'ssh2';

/** What is known about a channel when it closes, to decide whether that was a failure. */
export interface ChannelCloseInfo {
  /** Exit status of the remote command (exec channels), when the server sent one. */
  readonly exitCode: number | undefined;
  /** Signal that ended the remote command, when the server sent one. */
  readonly exitSignal: string | undefined;
  /** What the remote command wrote to stderr (the first few kilobytes). */
  readonly stderr: string;
  /** Bytes received on the channel. */
  readonly bytesReceived: number;
  /** Whether the whole SSH connection went away (rather than this channel alone). */
  readonly connectionLost: boolean;
}

/** How a {@link ChannelSocket} reports to the SSH session that owns its channel. */
export interface ChannelSocketHooks {
  /** Turns a channel's end into an error, or `undefined` for an ordinary end of stream. */
  describeClose(info: ChannelCloseInfo): Error | undefined;
  /** Whether the SSH connection carrying the channel is gone. */
  connectionLost(): boolean;
  /** The socket is done (closed or destroyed); called once. */
  released(socket: ChannelSocket): void;
  /** undici ref'd or unref'd the socket: the session keeps the process alive only for ref'd ones. */
  referenceChanged(): void;
  /**
   * Whether the remote end of stream (EOF) ends the socket at once. Forward mode: yes, the
   * engine closed its side and nothing more will come (sshd closes the channel only after our
   * EOF too). Dial-stdio: no, the end is held back until the channel closes, because the
   * command's exit status arrives after the last byte and decides whether that was a failure.
   */
  readonly endOnEof?: boolean;
}

const stderrLimit = 8 * 1024;

/**
 * One SSH channel dressed as the socket undici expects: bytes both ways with backpressure,
 * `ref`/`unref`, and a close that becomes an error when the remote command failed (with its
 * stderr) or the SSH connection dropped. In dial-stdio mode the end of stream is held back
 * until the channel closes, because the exit status arrives after the last byte; in forward
 * mode the remote EOF ends the stream at once (see {@link ChannelSocketHooks.endOnEof}).
 */
export class ChannelSocket extends Duplex {
  /** Whether undici wants this socket to keep the process alive. */
  referenced = true;
  readonly #channel: ClientChannel;
  readonly #hooks: ChannelSocketHooks;
  #stderr = '';
  #bytesReceived = 0;
  #exitCode: number | undefined;
  #exitSignal: string | undefined;
  #channelClosed = false;
  #ended = false;
  #released = false;
  readonly #onData = (chunk: Buffer): void => {
    this.#bytesReceived += chunk.length;
    if (!this.push(chunk)) this.#channel.pause();
  };

  constructor(channel: ClientChannel, hooks: ChannelSocketHooks) {
    super();
    this.#channel = channel;
    this.#hooks = hooks;
    channel.on('data', this.#onData);
    // stderr shares the channel's window: it must be read or the channel stalls.
    channel.stderr.on('data', (chunk: Buffer) => {
      if (this.#stderr.length < stderrLimit) this.#stderr += chunk.toString('utf8');
    });
    channel.on('exit', (code: number | null, signal?: string) => {
      if (typeof code === 'number') this.#exitCode = code;
      if (typeof signal === 'string') this.#exitSignal = signal;
    });
    channel.on('end', () => this.#onChannelEnd());
    channel.on('close', () => this.#onChannelClose());
    channel.on('error', (error: Error) => this.destroy(error));
    this.once('close', () => this.#release());
  }

  /** Keeps the process alive while the socket is open (undici calls this while a request runs). */
  ref(): this {
    if (!this.referenced) {
      this.referenced = true;
      this.#hooks.referenceChanged();
    }
    return this;
  }

  /** Lets the process exit even though this idle socket is open. */
  unref(): this {
    if (this.referenced) {
      this.referenced = false;
      this.#hooks.referenceChanged();
    }
    return this;
  }

  /** No-op: the SSH connection has its own TCP settings. */
  setNoDelay(): this {
    return this;
  }

  /** No-op: the SSH connection has its own TCP settings. */
  setKeepAlive(): this {
    return this;
  }

  override _read(): void {
    this.#channel.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#channel.write(chunk)) callback();
    else this.#channel.once('drain', () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#channel.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#channel.off('data', this.#onData);
    if (!this.#channelClosed) {
      // Drain what is still in flight so ssh2 sees the end and frees the channel.
      this.#channel.resume();
      this.#channel.close();
    }
    this.#release();
    callback(error);
  }

  #onChannelEnd(): void {
    if (this.#hooks.endOnEof !== true || this.destroyed || this.#ended) return;
    this.#ended = true;
    // undici sees the end at once (a reply cut short becomes "other side closed"); our own EOF
    // lets sshd close the channel, which it does only once both directions are done.
    this.push(null);
    this.#channel.end();
  }

  #onChannelClose(): void {
    this.#channelClosed = true;
    if (this.destroyed) return;
    const failure = this.#hooks.describeClose({
      exitCode: this.#exitCode,
      exitSignal: this.#exitSignal,
      stderr: this.#stderr.trim(),
      bytesReceived: this.#bytesReceived,
      connectionLost: this.#hooks.connectionLost(),
    });
    // The error must come before the end of stream: undici turns a bare end into
    // "other side closed" and would never look at the error.
    if (failure) this.destroy(failure);
    else if (!this.#ended) {
      this.#ended = true;
      this.push(null);
    }
  }

  #release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#hooks.released(this);
  }
}
