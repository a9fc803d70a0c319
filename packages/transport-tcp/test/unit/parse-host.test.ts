import { InvalidArgumentError } from '@berth/engine-protocol';
import { describe, expect, it } from 'vitest';
import { tcpTransport, type TcpTransportOptions } from '../../src/index.js';
import { parseTcpHost } from '../../src/parse-host.js';

describe('host parsing', () => {
  const accepted: Array<{ host: string; tls: boolean; origin: string; description: string }> = [
    { host: 'tcp://127.0.0.1:2375', tls: false, origin: 'http://127.0.0.1:2375', description: 'tcp://127.0.0.1:2375 (plain HTTP)' },
    { host: 'tcp://127.0.0.1', tls: false, origin: 'http://127.0.0.1:2375', description: 'tcp://127.0.0.1:2375 (plain HTTP)' },
    { host: 'tcp://127.0.0.1', tls: true, origin: 'https://127.0.0.1:2376', description: 'tcp://127.0.0.1:2376 (TLS)' },
    { host: 'tcp://docker.example:12345', tls: true, origin: 'https://docker.example:12345', description: 'tcp://docker.example:12345 (TLS)' },
    { host: 'TCP://Docker.Example:2375/', tls: false, origin: 'http://docker.example:2375', description: 'tcp://docker.example:2375 (plain HTTP)' },
    { host: 'https://docker.example', tls: false, origin: 'https://docker.example:2376', description: 'tcp://docker.example:2376 (TLS)' },
    // An explicit default port of the scheme is kept (WHATWG URL parsing would drop it).
    { host: 'https://docker.example:443', tls: true, origin: 'https://docker.example:443', description: 'tcp://docker.example:443 (TLS)' },
    { host: 'http://docker.example', tls: false, origin: 'http://docker.example:2375', description: 'tcp://docker.example:2375 (plain HTTP)' },
    { host: 'http://docker.example:80', tls: false, origin: 'http://docker.example:80', description: 'tcp://docker.example:80 (plain HTTP)' },
    { host: 'tcp://[::1]:2376', tls: true, origin: 'https://[::1]:2376', description: 'tcp://[::1]:2376 (TLS)' },
    { host: 'tcp://[::1]', tls: false, origin: 'http://[::1]:2375', description: 'tcp://[::1]:2375 (plain HTTP)' },
    { host: 'tcp://build_host-1.internal:65535', tls: false, origin: 'http://build_host-1.internal:65535', description: 'tcp://build_host-1.internal:65535 (plain HTTP)' },
  ];

  it.each(accepted)('accepts $host (tls: $tls)', async ({ host, tls, origin, description }) => {
    const options: TcpTransportOptions = tls ? { host, tls: {} } : { host };
    const transport = tcpTransport(options);
    expect(transport.type).toBe('tcp');
    expect(transport.origin).toBe(origin);
    expect(transport.description).toBe(description);
    await transport.close();
  });

  it('describes a transport whose verification is off loudly', async () => {
    const transport = tcpTransport({ host: 'tcp://10.0.0.5', tls: { insecureSkipVerify: true } });
    expect(transport.description).toBe('tcp://10.0.0.5:2376 (TLS, certificate NOT verified)');
    await transport.close();
  });

  it('returns host name, port and authority', () => {
    expect(parseTcpHost('tcp://[::1]:2376', true)).toEqual({ hostname: '::1', port: 2376, authority: '[::1]:2376', tls: true });
    expect(parseTcpHost('tcp://10.0.0.5', false)).toEqual({ hostname: '10.0.0.5', port: 2375, authority: '10.0.0.5:2375', tls: false });
  });

  const refused: Array<{ host: unknown; reason: RegExp; tls?: boolean }> = [
    { host: '', reason: /non-empty string/ },
    { host: '   ', reason: /non-empty string/ },
    { host: undefined, reason: /non-empty string/ },
    { host: 2375, reason: /non-empty string/ },
    { host: '127.0.0.1:2375', reason: /not a URL/ },
    { host: 'unix:///var/run/docker.sock', reason: /scheme unix:\/\// },
    { host: 'ssh://me@build-host', reason: /scheme ssh:\/\// },
    { host: 'http://127.0.0.1:2376', reason: /http:\/\/ \(plain HTTP\) but TLS options/, tls: true },
    { host: 'tcp://', reason: /no host name/ },
    { host: 'tcp://:2375', reason: /no host name/ },
    { host: 'tcp:///path', reason: /has a path/ },
    { host: 'tcp://host:', reason: /invalid port ""/ },
    { host: 'tcp://host:0', reason: /invalid port "0"/ },
    { host: 'tcp://host:65536', reason: /invalid port "65536"/ },
    { host: 'tcp://host:abc', reason: /invalid port "abc"/ },
    { host: 'tcp://host:+1', reason: /invalid port "\+1"/ },
    { host: 'tcp://host:2375?timeout=3', reason: /query string/ },
    { host: 'tcp://host:2375/v1.41', reason: /has a path/ },
    { host: 'tcp://host:2375#top', reason: /fragment/ },
    { host: 'tcp://::1:2375', reason: /IPv6 addresses in brackets/ },
    { host: 'tcp://[::1', reason: /unterminated IPv6/ },
    { host: 'tcp://[not-ipv6]:2375', reason: /invalid IPv6/ },
    { host: 'tcp://[::1]x', reason: /text after the IPv6/ },
    { host: 'tcp://bad host:2375', reason: /white space/ },
    { host: 'tcp://bad!host:2375', reason: /invalid host name "bad!host"/ },
    { host: 'tcp://-leading-dash:2375', reason: /invalid host name/ },
  ];

  it.each(refused)('refuses $host', ({ host, reason, tls }) => {
    const options = { host, ...(tls ? { tls: {} } : {}) } as TcpTransportOptions;
    const error = catchError(() => tcpTransport(options));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('host');
    expect((error as Error).message).toMatch(reason);
  });

  it.each([
    'tcp://admin:s3cret-Pa55@127.0.0.1:2376',
    'tcp://s3cret-Pa55@127.0.0.1:2376',
    'tcp://admin:s3cret/Pa55@127.0.0.1:2376',
    'https://admin:s3cret?Pa55@127.0.0.1',
    'admin:s3cret-Pa55@127.0.0.1:2376',
  ])('refuses credentials in %s without repeating them', (host) => {
    const error = catchError(() => tcpTransport({ host }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    const message = (error as Error).message;
    expect(message).not.toContain('s3cret');
    expect(message).not.toContain('Pa55');
    expect(message).not.toContain('admin');
  });

  it('does not repeat a secret-looking query value', () => {
    const error = catchError(() => tcpTransport({ host: 'tcp://127.0.0.1:2376?token=abc123' }));
    expect((error as Error).message).toMatch(/query string/);
    expect((error as Error).message).not.toContain('abc123');
  });

  it('refuses bad pool options before connecting', () => {
    expect(catchError(() => tcpTransport({ host: 'tcp://h', connections: 0 }))).toBeInstanceOf(InvalidArgumentError);
    expect(catchError(() => tcpTransport({ host: 'tcp://h', connectTimeout: 1.5 }))).toBeInstanceOf(InvalidArgumentError);
    expect(catchError(() => tcpTransport({ host: 'tcp://h', keepAliveTimeout: -1 }))).toBeInstanceOf(InvalidArgumentError);
    expect(catchError(() => tcpTransport(null as unknown as TcpTransportOptions))).toBeInstanceOf(InvalidArgumentError);
  });

  it('refuses malformed TLS switches', () => {
    const notObject = catchError(() => tcpTransport({ host: 'tcp://h', tls: true as unknown as object }));
    expect((notObject as InvalidArgumentError).argument).toBe('tls');
    const notBoolean = catchError(() => tcpTransport({ host: 'tcp://h', tls: { insecureSkipVerify: 'yes' as unknown as boolean } }));
    expect((notBoolean as InvalidArgumentError).argument).toBe('tls.insecureSkipVerify');
    const badName = catchError(() => tcpTransport({ host: 'tcp://h', tls: { servername: 'two words' } }));
    expect((badName as InvalidArgumentError).argument).toBe('tls.servername');
  });
});

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
