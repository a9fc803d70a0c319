import { InvalidArgumentError } from '@berth/engine-protocol';
import { everyRendering, secretPiecesOf } from '@berth/test-engine';
import { describe, expect, it } from 'vitest';
import { formatDockerHost } from '../../src/resolution/format-docker-host.js';
import { parseDockerHost } from '../../src/resolution/parse-docker-host.js';
import type { DockerHostAddress } from '../../src/resolution/resolved-endpoint.js';

// Every form the CLI's opts.ParseHost (and connhelper's ssh.ParseURL) accepts.
const accepted: Array<[string, { tls?: boolean }, DockerHostAddress, string]> = [
  ['unix:///var/run/docker.sock', {}, { kind: 'unix', socketPath: '/var/run/docker.sock' }, 'unix:///var/run/docker.sock'],
  ['unix://', {}, { kind: 'unix', socketPath: '/var/run/docker.sock' }, 'unix:///var/run/docker.sock'],
  ['unix://relative/docker.sock', {}, { kind: 'unix', socketPath: 'relative/docker.sock' }, 'unix://relative/docker.sock'],
  ['/run/user/1000/docker.sock', {}, { kind: 'unix', socketPath: '/run/user/1000/docker.sock' }, 'unix:///run/user/1000/docker.sock'],
  ['./docker.sock', {}, { kind: 'unix', socketPath: './docker.sock' }, 'unix://./docker.sock'],
  ['tcp://engine.example', {}, { kind: 'tcp', host: 'engine.example', port: 2375 }, 'tcp://engine.example:2375'],
  ['tcp://engine.example', { tls: true }, { kind: 'tcp', host: 'engine.example', port: 2376 }, 'tcp://engine.example:2376'],
  ['tcp://engine.example:1234', { tls: true }, { kind: 'tcp', host: 'engine.example', port: 1234 }, 'tcp://engine.example:1234'],
  ['tcp://:2375', {}, { kind: 'tcp', host: 'localhost', port: 2375 }, 'tcp://localhost:2375'],
  ['tcp://', {}, { kind: 'tcp', host: 'localhost', port: 2375 }, 'tcp://localhost:2375'],
  ['tcp://', { tls: true }, { kind: 'tcp', host: 'localhost', port: 2376 }, 'tcp://localhost:2376'],
  ['tcp://engine:', {}, { kind: 'tcp', host: 'engine', port: 2375 }, 'tcp://engine:2375'],
  ['engine.example:2375', {}, { kind: 'tcp', host: 'engine.example', port: 2375 }, 'tcp://engine.example:2375'],
  ['10.0.0.5', {}, { kind: 'tcp', host: '10.0.0.5', port: 2375 }, 'tcp://10.0.0.5:2375'],
  ['http://10.0.0.5:2375', {}, { kind: 'tcp', host: '10.0.0.5', port: 2375 }, 'tcp://10.0.0.5:2375'],
  ['TCP://Engine:1', {}, { kind: 'tcp', host: 'Engine', port: 1 }, 'tcp://Engine:1'],
  ['tcp://[::1]:2375', {}, { kind: 'tcp', host: '::1', port: 2375 }, 'tcp://[::1]:2375'],
  ['tcp://[::1]', { tls: true }, { kind: 'tcp', host: '::1', port: 2376 }, 'tcp://[::1]:2376'],
  ['tcp://[::1]:', {}, { kind: 'tcp', host: '::1', port: 2375 }, 'tcp://[::1]:2375'],
  ['tcp://::1', {}, { kind: 'tcp', host: '::1', port: 2375 }, 'tcp://[::1]:2375'],
  ['tcp://10.0.0.5:2375/', {}, { kind: 'tcp', host: '10.0.0.5', port: 2375 }, 'tcp://10.0.0.5:2375'],
  ['tcp://proxy:80/docker/', {}, { kind: 'tcp', host: 'proxy', port: 80, basePath: '/docker' }, 'tcp://proxy:80/docker'],
  ['tcp://h:65535', {}, { kind: 'tcp', host: 'h', port: 65_535 }, 'tcp://h:65535'],
  ['  tcp://h:1  ', {}, { kind: 'tcp', host: 'h', port: 1 }, 'tcp://h:1'],
  ['ssh://box', {}, { kind: 'ssh', url: 'ssh://box', host: 'box' }, 'ssh://box'],
  ['ssh://box:2222', {}, { kind: 'ssh', url: 'ssh://box:2222', host: 'box', port: 2222 }, 'ssh://box:2222'],
  [
    'ssh://me@box:2222/run/docker.sock',
    {},
    { kind: 'ssh', url: 'ssh://me@box:2222/run/docker.sock', user: 'me', host: 'box', port: 2222, socketPath: '/run/docker.sock' },
    'ssh://me@box:2222/run/docker.sock',
  ],
  ['ssh://me%40corp@box', {}, { kind: 'ssh', url: 'ssh://me%40corp@box', user: 'me@corp', host: 'box' }, 'ssh://me%40corp@box'],
  ['ssh://[fd00::2]:22', {}, { kind: 'ssh', url: 'ssh://[fd00::2]:22', host: 'fd00::2', port: 22 }, 'ssh://[fd00::2]:22'],
  ['ssh://box/', {}, { kind: 'ssh', url: 'ssh://box/', host: 'box' }, 'ssh://box/'],
  ['npipe://', {}, { kind: 'npipe', pipePath: '//./pipe/docker_engine' }, 'npipe:////./pipe/docker_engine'],
  ['npipe:////./pipe/other', {}, { kind: 'npipe', pipePath: '//./pipe/other' }, 'npipe:////./pipe/other'],
];

// Refused with an InvalidArgumentError; `hunter2` (a secret) must never appear in the message.
const refused: Array<[string, RegExp]> = [
  ['', /is empty/],
  ['   ', /is empty/],
  ['bogus://h', /unsupported scheme "bogus:\/\/"/],
  ['fd://', /socket-activation address/],
  ['fd://3', /socket-activation address/],
  ['https://h:2376', /https:\/\/, which the docker CLI does not accept/],
  ['://h', /no scheme/],
  ['tcp://h:0', /invalid port "0"/],
  ['tcp://h:65536', /invalid port "65536"/],
  ['tcp://h:abc', /invalid port "abc"/],
  ['tcp://h:-1', /invalid port "-1"/],
  ['tcp://user:hunter2@h:2375', /contains credentials/],
  ['tcp://user@h:2375', /contains credentials/],
  ['tcp://h:2375?token=hunter2', /query string/],
  ['tcp://h:2375#hunter2', /fragment/],
  ['tcp://tcp://h', /two schemes/],
  ['tcp://[::1', /unterminated IPv6/],
  ['tcp://[zz]:1', /invalid IPv6/],
  ['tcp://[::1]x', /text after the IPv6/],
  ['tcp://a:b:c', /more than one ":"/],
  ['tcp://bad host', /white space/],
  ['tcp://h!:1', /invalid host name "h!"/],
  ['unix:///x.sock?password=hunter2', /query string/],
  ['unix://unix:///x.sock', /two schemes/],
  ['ssh://', /no host name/],
  ['ssh://me:hunter2@box', /contains a password/],
  ['ssh://box?hunter2=1', /query string/],
  ['ssh://box#hunter2', /fragment/],
  ['ssh://box:99999', /not a valid URL/],
  ['ssh://box name', /white space/],
];

describe('parseDockerHost: accepted forms', () => {
  it.each(accepted)('%s %o', (value, options, expected, formatted) => {
    const address = parseDockerHost(value, options);
    expect(address).toStrictEqual(expected);
    expect(formatDockerHost(address)).toBe(formatted);
  });
});

describe('parseDockerHost: refused forms', () => {
  it.each(refused)('%s', (value, message) => {
    let caught: unknown;
    try {
      parseDockerHost(value, { argument: 'DOCKER_HOST' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    const error = caught as InvalidArgumentError;
    expect(error.message).toMatch(message);
    expect(error.argument).toBe('DOCKER_HOST');
    expect(error.message).not.toContain('hunter2');
  });
});

// issue 8, failure 7: credentials in every DOCKER_HOST form are refused, and no rendering of
// the error shows them, even when the password holds "/", "?", "#" or "@".
describe('parseDockerHost: credentials in any form', () => {
  const password = 'Pa/ss?w#rd@x9';
  const forms = [
    `unix://user:${password}@/var/run/docker.sock`,
    `unix://user:${password}@relative.sock`,
    'unix://user:Hunter2secret@/var/run/docker.sock',
    `npipe://user:${password}@//./pipe/docker_engine`,
    `tcp://user:${password}@h:2375`,
    `tcp://user:${password}@h:2375/base`,
    `http://user:${password}@h:2375`,
    `https://user:${password}@h:2376`,
    `user:${password}@h:2375`,
    `ssh://me:${password}@box`,
    `ssh://me:${password}@box:22/run/docker.sock`,
    `fd://user:${password}@x`,
    `weird://user:${password}@x`,
  ];
  it.each(forms)('%s', (value) => {
    let caught: unknown;
    try {
      parseDockerHost(value, { argument: 'DOCKER_HOST' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    const shown = everyRendering(caught);
    const secret = value.includes(password) ? password : 'Hunter2secret';
    for (const piece of secretPiecesOf([secret], 4)) {
      expect(shown).not.toContain(piece);
    }
  });

  it('keeps an "@" inside an absolute socket path', () => {
    expect(parseDockerHost('unix:///run/user@1000/docker.sock')).toStrictEqual({ kind: 'unix', socketPath: '/run/user@1000/docker.sock' });
  });
});
