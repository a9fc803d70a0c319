import { InvalidArgumentError } from '@berth/engine-protocol';
import { describe, expect, it } from 'vitest';
import { sshTransport, type SshTransportOptions } from '../../src/index.js';

describe('sshTransport', () => {
  it('describes the endpoint without opening anything', async () => {
    const transport = sshTransport({ url: 'ssh://deploy@build-1:2222/run/docker.sock', mode: 'forward', agent: false });
    expect(transport).toMatchObject({ type: 'ssh', mode: 'forward', origin: 'http://localhost', description: 'ssh://deploy@build-1:2222/run/docker.sock (forward)' });
    expect(transport.statistics).toEqual({ connectionsOpened: 0, channelsOpened: 0, openChannels: 0, connected: false });
    await transport.close();
    await transport.close();
  });

  it.each<[string, SshTransportOptions, string]>([
    ['a password in the URL', { url: 'ssh://deploy:pw@build-1' }, 'url'],
    ['an unknown mode', { url: 'ssh://build-1', mode: 'telnet' as never }, 'mode'],
    ['zero connections', { url: 'ssh://build-1', connections: 0 }, 'connections'],
    ['a fractional timeout', { url: 'ssh://build-1', connectTimeout: 1.5 }, 'connectTimeout'],
    ['a multi-line docker command', { url: 'ssh://build-1', dockerCommand: 'docker\nrm -rf /' }, 'dockerCommand'],
    ['an empty identity path', { url: 'ssh://build-1', identityFiles: [''] }, 'identityFiles'],
  ])('refuses %s before connecting', (_name, options, argument) => {
    let caught: unknown;
    try {
      sshTransport(options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect((caught as InvalidArgumentError).argument).toBe(argument);
  });

  it('warns loudly when host key checking is turned off', async () => {
    const warnings: Error[] = [];
    const listener = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', listener);
    try {
      const transport = sshTransport({ url: 'ssh://build-1', dangerouslyAcceptAnyHostKey: true, agent: false });
      await new Promise((resolve) => setImmediate(resolve));
      await transport.close();
    } finally {
      process.off('warning', listener);
    }
    expect(warnings.map((warning) => (warning as Error & { code?: string }).code)).toContain('BERTH_SSH_HOST_KEY_CHECKING_DISABLED');
  });
});
