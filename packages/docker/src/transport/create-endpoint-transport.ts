import { InvalidArgumentError, type Transport } from '@berth/engine-protocol';
import type { SshTransportOptions, sshTransport as sshTransportFunction } from '@berth/transport-ssh';
import type { TcpTransportOptions, tcpTransport as tcpTransportFunction } from '@berth/transport-tcp';
import { unixTransport } from '@berth/transport-unix';
import { hostAndPort } from '../resolution/format-docker-host.js';
import type { ResolvedEndpoint, TcpEndpoint } from '../resolution/resolved-endpoint.js';
import { importTransportModule, loadTransportFactory, type TransportModuleLoader } from './load-transport-package.js';
import { withBasePath } from './with-base-path.js';
import { definedEntries } from '@berth/engine-protocol/internal';

/**
 * Options of {@link createEndpointTransport}.
 *
 * @example
 * ```ts
 * const transport = await createEndpointTransport(endpoint, { environment: { SSH_AUTH_SOCK: '/run/agent.sock' } });
 * ```
 */
export interface EndpointTransportOptions {
  /** Where the SSH transport reads `SSH_AUTH_SOCK` and `HOME` (for `~/.ssh`). Default: `process.env`. */
  readonly environment?: Readonly<Record<string, string | undefined>> | undefined;
  /** How optional transport packages are imported (tests replace it). Default: a runtime `import()`. */
  readonly loadTransportModule?: TransportModuleLoader | undefined;
  /** The platform deciding whether named pipes work (tests replace it). Default: `process.platform`. */
  readonly platform?: NodeJS.Platform | undefined;
}

/**
 * Builds the transport for a resolved endpoint: `unix` through `@berth/transport-unix`; `tcp`
 * and `ssh` through `@berth/transport-tcp` / `@berth/transport-ssh`, imported only now (a
 * missing one is a `MissingTransportPackageError`); `npipe` on Windows only. For SSH or TCP
 * settings beyond the endpoint (identity files, known hosts, pool sizes), build the transport
 * yourself and pass it to `createDocker({ transport })`.
 *
 * @example
 * ```ts
 * const transport = await createEndpointTransport(await resolveEndpoint());
 * const client = createEngineClient({ transport });
 * ```
 */
export async function createEndpointTransport(
  endpoint: ResolvedEndpoint,
  options: EndpointTransportOptions = {},
): Promise<Transport> {
  const loader = options.loadTransportModule ?? importTransportModule;
  switch (endpoint.kind) {
    case 'unix':
      return unixTransport({ socketPath: endpoint.socketPath });
    case 'tcp': {
      // Only the types are imported statically; `import type` leaves no trace at runtime.
      const tcpTransport = (await loadTransportFactory(
        '@berth/transport-tcp',
        'tcpTransport',
        endpoint.dockerHost,
        loader,
      )) as typeof tcpTransportFunction;
      const transport = tcpTransport(tcpOptions(endpoint));
      return endpoint.basePath === undefined ? transport : withBasePath(transport, endpoint.basePath);
    }
    case 'ssh': {
      const sshTransport = (await loadTransportFactory(
        '@berth/transport-ssh',
        'sshTransport',
        endpoint.dockerHost,
        loader,
      )) as typeof sshTransportFunction;
      // The same environment as the rest of the resolution: SSH_AUTH_SOCK, and HOME for ~/.ssh.
      const home = options.environment?.['HOME'];
      const sshOptions: SshTransportOptions = {
        url: endpoint.url,
        ...definedEntries({ environment: options.environment }),
        ...(home ? { homeDirectory: home } : {}),
      };
      return sshTransport(sshOptions);
    }
    case 'npipe': {
      const platform = options.platform ?? process.platform;
      if (platform !== 'win32') {
        throw new InvalidArgumentError(
          `${endpoint.dockerHost} is a Windows named pipe; named pipes are not supported on this platform (${platform}).`,
          { argument: endpoint.source === 'option' ? 'host' : endpoint.source, details: 'Use unix://, tcp:// or ssh:// here.' },
        );
      }
      // Node opens named pipes through the same `path` option as Unix sockets.
      return unixTransport({ socketPath: endpoint.pipePath.replaceAll('/', '\\') });
    }
  }
}

function tcpOptions(endpoint: TcpEndpoint): TcpTransportOptions {
  const host = `tcp://${hostAndPort(endpoint.host, endpoint.port)}`;
  const { tls } = endpoint;
  if (tls === undefined) return { host };
  return {
    host,
    tls: {
      ...definedEntries({ ca: tls.caFile, cert: tls.certificateFile, key: tls.keyFile }),
      insecureSkipVerify: !tls.verify,
    },
  };
}
