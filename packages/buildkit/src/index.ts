// @berth/buildkit: BuildKit build sessions. The client switches a connection to HTTP/2
// (`POST /session`) and serves gRPC on it: registry credentials, secrets, SSH agents, local
// directories (file sync) and build outputs, for the engine to call during a build.

export {
  BuildSession,
  openBuildSession,
  type BuildSessionOptions,
  type BuildSessionStatistics,
} from './session/build-session.js';
export { sharedKeyFor } from './session/shared-key.js';

export type { DirectorySource, SourceEntry } from './filesync/directory-source.js';
export type { FileStat } from './messages/file-sync-packet.js';
export { localDirectory, type LocalDirectoryOptions } from './filesync/local-directory.js';
export { memoryDirectory } from './filesync/memory-directory.js';
export type { DiffCopyTransfer } from './filesync/diff-copy-sender.js';
export type { DiffCopyReception } from './filesync/diff-copy-receiver.js';

export type { CredentialsLookup, SessionCredentials } from './services/auth-service.js';
export { resolveSecrets, type SecretSource } from './services/secrets-service.js';
export { resolveSshAgents, type SshAgents } from './services/ssh-agent-service.js';
export type { DirectoryTransferStatistics, FileSyncEvent } from './services/file-sync-service.js';
export type { OutputStatistics, SessionOutput } from './services/file-send-service.js';

export { GrpcStatus, GrpcStatusError, type GrpcStatusCode } from './grpc/grpc-status.js';

export { connectBuildkitController, type BuildkitController } from './control/buildkit-controller.js';
export type { CacheEntry, SolveRequestFields } from './messages/control-messages.js';
