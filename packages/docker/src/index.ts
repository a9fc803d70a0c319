// @berth/docker: Berth's front door. Resolves the engine like the docker CLI (DOCKER_HOST,
// contexts, TLS variables), loads the transport it needs at runtime, and wires registry
// credentials into the image collection.

export { createDocker, type Docker, type CreateDockerOptions, type CustomTransportEndpoint } from './create-docker.js';
export { resolveEndpoint, DEFAULT_CONTEXT_NAME, type ResolveEndpointOptions } from './resolution/resolve-endpoint.js';
export {
  parseDockerHost,
  DEFAULT_UNIX_SOCKET,
  DEFAULT_NAMED_PIPE,
  DEFAULT_TCP_PORT,
  DEFAULT_TLS_PORT,
  type ParseDockerHostOptions,
} from './resolution/parse-docker-host.js';
export { formatDockerHost } from './resolution/format-docker-host.js';
export { dockerConfigDirectory } from './resolution/config-directory.js';
export type {
  DockerHostAddress,
  EndpointOrigin,
  EndpointSource,
  EndpointTls,
  NamedPipeAddress,
  NamedPipeEndpoint,
  ResolvedEndpoint,
  SshAddress,
  SshEndpoint,
  TcpAddress,
  TcpEndpoint,
  UnixEndpoint,
  UnixSocketAddress,
} from './resolution/resolved-endpoint.js';
export { createEndpointTransport, type EndpointTransportOptions } from './transport/create-endpoint-transport.js';
export type { TransportModuleLoader, TransportPackageName } from './transport/load-transport-package.js';
export { MissingTransportPackageError } from './errors/missing-transport-package-error.js';
export { dockerConfigCredentials, type DockerConfigCredentialsOptions } from './credentials/docker-config-credentials.js';
