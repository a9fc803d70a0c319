import { ConnectionError, SocketClosedError } from '@berth/engine-protocol';
import { describe, expect, it } from 'vitest';
import type { ChannelCloseInfo } from '../../src/channel-socket.js';
import { dialStdioChannel, dialStdioCommand } from '../../src/dial-stdio-channel.js';
import { forwardChannel } from '../../src/forward-channel.js';

const closeInfo = (overrides: Partial<ChannelCloseInfo>): ChannelCloseInfo => ({
  exitCode: undefined,
  exitSignal: undefined,
  stderr: '',
  bytesReceived: 0,
  connectionLost: false,
  ...overrides,
});

describe('dialStdioCommand', () => {
  it('builds the command the docker CLI runs, quoting the socket path for the remote shell', () => {
    expect(dialStdioCommand('docker', undefined)).toBe('docker system dial-stdio');
    expect(dialStdioCommand('docker', '/run/user/1000/docker.sock')).toBe('docker --host unix:///run/user/1000/docker.sock system dial-stdio');
    expect(dialStdioCommand('/opt/bin/docker', "/tmp/it's here.sock")).toBe(
      "/opt/bin/docker --host 'unix:///tmp/it'\\''s here.sock' system dial-stdio",
    );
  });
});

describe('dial-stdio channel ends', () => {
  const kind = dialStdioChannel('docker system dial-stdio', 'root@build-1:22', '/var/run/docker.sock');

  it('lets an ordinary end (exit 0, or bytes already received) through', () => {
    expect(kind.describeClose(closeInfo({ exitCode: 0, bytesReceived: 120 }))).toBeUndefined();
    expect(kind.describeClose(closeInfo({ exitCode: 0 }))).toBeUndefined();
    expect(kind.describeClose(closeInfo({ exitCode: 0, stderr: 'WARNING: something', bytesReceived: 10 }))).toBeUndefined();
  });

  it('turns a missing docker CLI into a ConnectionError with its stderr and a hint', () => {
    const error = kind.describeClose(closeInfo({ exitCode: 127, stderr: 'bash: line 1: docker: command not found' })) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.causeCode).toBe('SSH_REMOTE_COMMAND_FAILED');
    expect(error.shortMessage).toBe('"docker system dial-stdio" failed on root@build-1:22 (exit code 127): bash: line 1: docker: command not found');
    expect(error.details).toMatch(/docker CLI is missing.*mode: 'forward'/);
  });

  it('turns an unreachable engine into a ConnectionError naming the socket', () => {
    const stderr = 'failed to open the raw stream connection: dial unix /var/run/docker.sock: connect: no such file or directory';
    const error = kind.describeClose(closeInfo({ exitCode: 1, stderr })) as ConnectionError;
    expect(error.message).toContain(stderr);
    expect(error.details).toContain('/var/run/docker.sock');
  });

  it('reports a command killed mid-reply and a lost connection as SocketClosedError', () => {
    const killed = kind.describeClose(closeInfo({ exitSignal: 'KILL', bytesReceived: 5 }));
    expect(killed).toBeInstanceOf(SocketClosedError);
    expect(killed?.message).toContain('signal KILL');
    const lost = kind.describeClose(closeInfo({ connectionLost: true })) as SocketClosedError;
    expect(lost).toBeInstanceOf(SocketClosedError);
    expect(lost.causeCode).toBe('SSH_CONNECTION_LOST');
  });

  it('reports the engine going away in the middle of an upload as SocketClosedError, with the remote stderr', () => {
    // review 1 CI flake: a reset before any reply byte came back was "could not connect". These
    // are the docker CLI's words when its relay fails (seen with the fake engine's reset).
    const relayFailures = [
      'error while Copy (stdin to stream): write unix @->/tmp/engine.sock: write: broken pipe',
      'error while Copy (stream to stdout): read unix @->/tmp/engine.sock: read: connection reset by peer',
      'time="2026-12-02T06:48:52Z" level=error msg="error while CloseRead (stream to stdout): close unix @->/tmp/engine.sock: use of closed network connection"',
      'time="2026-12-02T06:49:05Z" level=error msg="error while CloseWrite (stdin to stream): close unix @->/tmp/engine.sock: use of closed network connection"',
    ];
    for (const stderr of relayFailures) {
      const error = kind.describeClose(closeInfo({ exitCode: 1, stderr })) as SocketClosedError;
      expect(error).toBeInstanceOf(SocketClosedError);
      expect(error.causeCode).toBe('SSH_REMOTE_COMMAND_FAILED');
      expect(error.shortMessage).toContain('closed in the middle of the request (exit code 1)');
      expect(error.metaMessages).toEqual([`Remote stderr:\n${stderr}`]);
    }
    // Failing to connect stays a ConnectionError, whatever the request had written.
    const unreachable = 'failed to open the raw stream connection: dial unix /var/run/docker.sock: connect: connection refused';
    expect(kind.describeClose(closeInfo({ exitCode: 1, stderr: unreachable }))).toBeInstanceOf(ConnectionError);
    expect(kind.describeClose(closeInfo({ exitCode: 1, stderr: "docker: 'system' is not a docker command." }))).toBeInstanceOf(ConnectionError);
  });

  it('explains a refused session as sshd MaxSessions', () => {
    const error = kind.describeOpenError(Object.assign(new Error('(SSH) Channel open failure: open failed'), { reason: 1 }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).details).toContain('MaxSessions');
  });
});

describe('forward channel errors', () => {
  const kind = forwardChannel('/var/run/docker.sock', 'root@build-1:22');

  it('names the socket when sshd cannot connect to it, and the setting when forwarding is refused', () => {
    const missing = kind.describeOpenError(Object.assign(new Error('(SSH) Channel open failure: open failed'), { reason: 2 })) as ConnectionError;
    expect(missing.causeCode).toBe('SSH_CHANNEL_OPEN_FAILED');
    expect(missing.shortMessage).toContain('could not connect to the engine socket /var/run/docker.sock');
    const refused = kind.describeOpenError(Object.assign(new Error('administratively prohibited'), { reason: 1 })) as ConnectionError;
    expect(refused.causeCode).toBe('SSH_FORWARDING_REFUSED');
    expect(refused.details).toContain('AllowStreamLocalForwarding');
  });

  it('only fails a close when the SSH connection went away', () => {
    expect(kind.describeClose(closeInfo({ bytesReceived: 10 }))).toBeUndefined();
    expect(kind.describeClose(closeInfo({ connectionLost: true }))).toBeInstanceOf(SocketClosedError);
  });
});
