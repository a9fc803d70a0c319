import { InvalidArgumentError } from '@berth/engine-protocol';
import { describe, expect, it } from 'vitest';
import { parseSshUrl } from '../../src/ssh-url.js';

describe('parseSshUrl', () => {
  it.each([
    ['ssh://build-1', { user: undefined, host: 'build-1', port: undefined, socketPath: undefined }],
    ['ssh://deploy@build-1', { user: 'deploy', host: 'build-1', port: undefined, socketPath: undefined }],
    ['ssh://deploy@build-1:2222', { user: 'deploy', host: 'build-1', port: 2222, socketPath: undefined }],
    ['ssh://deploy@10.0.0.5:22/var/run/docker.sock', { user: 'deploy', host: '10.0.0.5', port: 22, socketPath: '/var/run/docker.sock' }],
    ['ssh://build-1/', { user: undefined, host: 'build-1', port: undefined, socketPath: undefined }],
    ['SSH://Build-1.Example.com:65535/run/user/1000/docker.sock', { user: undefined, host: 'Build-1.Example.com', port: 65_535, socketPath: '/run/user/1000/docker.sock' }],
    ['ssh://[::1]:2222/run/docker.sock', { user: undefined, host: '::1', port: 2222, socketPath: '/run/docker.sock' }],
    ['ssh://root@[fe80::1]', { user: 'root', host: 'fe80::1', port: undefined, socketPath: undefined }],
    ['ssh://ci%40corp@build-1/tmp/my%20docker.sock', { user: 'ci@corp', host: 'build-1', port: undefined, socketPath: '/tmp/my docker.sock' }],
  ])('parses %s', (url, expected) => {
    expect(parseSshUrl(url)).toEqual(expected);
  });

  it.each([
    ['ssh://deploy:hunter2@build-1', /password/],
    ['ssh://deploy:@build-1', /password/],
    ['ssh://build-1?socket=/x', /query string/],
    ['ssh://build-1/var/run/docker.sock?x=1', /query string/],
    ['ssh://build-1#frag', /fragment/],
    ['ssh://build-1:0', /invalid port "0"/],
    ['ssh://build-1:65536', /invalid port "65536"/],
    ['ssh://build-1:22x', /invalid port "22x"/],
    ['ssh://build-1:', /invalid port ""/],
    ['ssh://build-1:-1', /invalid port "-1"/],
    ['tcp://build-1:2375', /Not an SSH URL/],
    ['build-1', /Not an SSH URL/],
    ['', /empty/],
    ['ssh://', /names no host/],
    ['ssh://deploy@', /names no host/],
    ['ssh://@build-1', /empty user name/],
    ['ssh://[::1', /invalid IPv6/],
    ['ssh://[not-an-ip]:22', /invalid IPv6/],
    ['ssh://bad host', /invalid host name/],
    ['ssh://build-1/%E0%A4%A', /badly encoded path/],
  ])('refuses %s', (url, message) => {
    const error = capture(() => parseSshUrl(url));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('url');
    expect((error as Error).message).toMatch(message);
  });

  it('never repeats a password, even one holding @ or :', () => {
    for (const url of ['ssh://deploy:s3cr3t-pw@build-1:22/x', 'ssh://deploy:p@ss:w0rd@build-1', 'ssh://deploy:top%40secret@build-1']) {
      const error = capture(() => parseSshUrl(url)) as Error;
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error.message).toContain('ssh://[redacted]@build-1');
      for (const fragment of ['s3cr3t', 'p@ss', 'w0rd', 'top%40secret', 'secret']) expect(error.message).not.toContain(fragment);
    }
  });
});

function capture(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('credentials in SSH URLs never reach messages (issue 8)', () => {
  it.each(['ssh://me:pa/ss@box', 'ssh://me:pa?ss@box', 'ssh://me:pa#ss@box', 'ssh://me:p@ss@box:99999'])('%s', (url) => {
    let caught: unknown;
    try {
      parseSshUrl(url);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect((caught as Error).message).not.toMatch(/pa\/ss|pa\?ss|pa#ss|p@ss/);
  });
});
