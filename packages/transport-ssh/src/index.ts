// @berth/transport-ssh: an engine on another host, over one SSH connection (docker system
// dial-stdio on the remote host, or a forward to its engine socket).
export {
  sshTransport,
  DEFAULT_REMOTE_DOCKER_SOCKET,
  type SshTransport,
  type SshTransportMode,
  type SshTransportOptions,
} from './ssh-transport.js';
export type { SshSessionStatistics } from './ssh-session-statistics.js';
export { parseSshUrl, type SshEndpoint } from './ssh-url.js';
export { hostKeyFingerprint } from './known-hosts.js';
