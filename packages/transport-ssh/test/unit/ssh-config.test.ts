import { InvalidArgumentError } from '@berth/engine-protocol';
import { describe, expect, it } from 'vitest';
import { expandSshTokens, parseSshConfig, resolveSshHostConfig } from '../../src/ssh-config.js';

const config = `
# Global defaults come first in real files too.
IdentityFile ~/.ssh/id_global

Host build-? !build-9
  HostName %h.ci.example.com
  User deploy
  Port 2222
  IdentityFile ~/.ssh/id_build

Host *.lan
  User=pi
  Port = 2200
  IdentityFile "~/.ssh/my keys/lan key"

Match host nas.lan
  User match-user-never-applied

host BUILD-*
  user someone-else
  PORT 2300
  IdentityFile %d/.ssh/id_%r_%h_%p
  UserKnownHostsFile ~/.ssh/known_hosts.build /etc/ssh/known_hosts.build

Host *
  User fallback
  Port 22
`;

describe('ssh config', () => {
  const blocks = parseSshConfig(config, 'config');

  it('applies Host patterns with ? and *, the first value of each keyword winning', () => {
    expect(resolveSshHostConfig(blocks, 'build-1')).toEqual({
      hostName: '%h.ci.example.com',
      user: 'deploy',
      port: 2222,
      identityFiles: ['~/.ssh/id_global', '~/.ssh/id_build', '%d/.ssh/id_%r_%h_%p'],
      userKnownHostsFiles: ['~/.ssh/known_hosts.build', '/etc/ssh/known_hosts.build'],
    });
  });

  it('matches case-insensitively and honours negated patterns', () => {
    const negated = resolveSshHostConfig(blocks, 'build-9');
    expect(negated.hostName).toBeUndefined();
    expect(negated.user).toBe('someone-else');
    expect(negated.port).toBe(2300);
    expect(resolveSshHostConfig(blocks, 'build-10').user).toBe('someone-else');
  });

  it('reads Keyword=value, quoted arguments, and skips Match blocks', () => {
    expect(resolveSshHostConfig(blocks, 'nas.lan')).toEqual({
      hostName: undefined,
      user: 'pi',
      port: 2200,
      identityFiles: ['~/.ssh/id_global', '~/.ssh/my keys/lan key'],
      userKnownHostsFiles: undefined,
    });
  });

  it('falls through to Host * for other hosts', () => {
    expect(resolveSshHostConfig(blocks, 'elsewhere.example.com')).toMatchObject({ user: 'fallback', port: 22, identityFiles: ['~/.ssh/id_global'] });
  });

  it('refuses a bad Port and an unterminated quote with the file and line', () => {
    expect(() => resolveSshHostConfig(parseSshConfig('Host x\n  Port 99999\n', 'my_config'), 'x')).toThrow(/my_config:2: bad Port "99999"/);
    expect(() => parseSshConfig('Host x\n  IdentityFile "~/.ssh/id\n', 'my_config')).toThrow(InvalidArgumentError);
  });

  it('expands ~ and the %d %u %h %r %p %% tokens', () => {
    const tokens = { home: '/home/ada', localUser: 'ada', host: 'build-1.ci.example.com', user: 'deploy', port: 2222 };
    expect(expandSshTokens('~/.ssh/id_build', tokens)).toBe('/home/ada/.ssh/id_build');
    expect(expandSshTokens('~', tokens)).toBe('/home/ada');
    expect(expandSshTokens('%d/.ssh/id_%r_%h_%p', tokens)).toBe('/home/ada/.ssh/id_deploy_build-1.ci.example.com_2222');
    expect(expandSshTokens('/keys/%u/100%%', tokens)).toBe('/keys/ada/100%');
    expect(expandSshTokens('%h.ci.example.com', { home: '/h', localUser: 'u', host: 'build-1' })).toBe('build-1.ci.example.com');
    expect(expandSshTokens('/not~/expanded/%x', tokens)).toBe('/not~/expanded/%x');
  });
});
