// moby.filesync.v1.Auth: the engine asks the session for registry credentials when it pulls a
// base image or pushes a result. Client-side token fetching (GetTokenAuthority, FetchToken) is
// declined the way BuildKit defines it, with UNAVAILABLE: the engine then fetches registry tokens
// itself with the credentials from Credentials.
import { unaryHandler, type GrpcHandler } from '../grpc/grpc-server.js';
import { GrpcStatus, GrpcStatusError } from '../grpc/grpc-status.js';
import { decodeAuthHostRequest, encodeCredentialsResponse } from '../messages/auth-messages.js';

/**
 * Credentials for one registry as BuildKit wants them: a user name and a secret (password,
 * identity token or access token). An identity token goes with an empty user name.
 *
 * @example
 * ```ts
 * const credentials: SessionCredentials = { username: 'ci', secret: process.env.REGISTRY_TOKEN ?? '' };
 * ```
 */
export interface SessionCredentials {
  /** The user name; empty with an identity token. */
  readonly username: string;
  /** The password, identity token or access token. */
  readonly secret: string;
}

/**
 * Answers the engine's credential questions, per registry host (`127.0.0.1:5000`,
 * `registry-1.docker.io` for Docker Hub). `undefined` means anonymous. A rejection is reported to
 * the engine as UNAVAILABLE with the error's message, which must therefore not hold secrets.
 *
 * @example
 * ```ts
 * const lookup: CredentialsLookup = async (host) => (host === 'registry.example.com' ? { username: 'ci', secret: token } : undefined);
 * ```
 */
export type CredentialsLookup = (host: string) => Promise<SessionCredentials | undefined>;

/**
 * The Auth methods of a session.
 *
 * @example
 * ```ts
 * const server = new GrpcServer({ ...authMethods(lookup, (host) => statistics.credentialHosts.push(host)) });
 * ```
 */
export function authMethods(lookup: CredentialsLookup, onRequest: (host: string) => void): Record<string, GrpcHandler> {
  return {
    '/moby.filesync.v1.Auth/Credentials': unaryHandler(decodeAuthHostRequest, async (host) => {
      onRequest(host);
      let credentials: SessionCredentials | undefined;
      try {
        credentials = await lookup(host);
      } catch (error) {
        throw new GrpcStatusError(GrpcStatus.unavailable, `no credentials for ${host}: ${error instanceof Error ? error.message : String(error)}`);
      }
      return encodeCredentialsResponse(credentials ?? { username: '', secret: '' });
    }),
    '/moby.filesync.v1.Auth/GetTokenAuthority': unaryHandler(decodeAuthHostRequest, async () => {
      throw new GrpcStatusError(GrpcStatus.unavailable, 'client-side registry tokens are not offered; use Credentials');
    }),
  };
}
