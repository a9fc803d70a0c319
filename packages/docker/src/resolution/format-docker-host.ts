import { isIP } from 'node:net';
import type { DockerHostAddress } from './resolved-endpoint.js';

/**
 * Writes an address back in the CLI's normalized form: `unix:///path`, `tcp://host:port[/base]`
 * (IPv6 in brackets), the SSH URL as given, `npipe://path`.
 *
 * @example
 * ```ts
 * formatDockerHost({ kind: 'tcp', host: '::1', port: 2375 }); // 'tcp://[::1]:2375'
 * ```
 */
export function formatDockerHost(address: DockerHostAddress): string {
  switch (address.kind) {
    case 'unix':
      return `unix://${address.socketPath}`;
    case 'tcp':
      return `tcp://${hostAndPort(address.host, address.port)}${address.basePath ?? ''}`;
    case 'ssh':
      return address.url;
    case 'npipe':
      return `npipe://${address.pipePath}`;
  }
}

/**
 * `host:port`, with an IPv6 host in brackets.
 *
 * @example
 * ```ts
 * hostAndPort('::1', 2376); // '[::1]:2376'
 * ```
 */
export function hostAndPort(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}
