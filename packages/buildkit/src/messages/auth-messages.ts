// moby.filesync.v1.Auth messages (session/auth/auth.proto): what the engine asks when it pulls
// or pushes, and what the client answers.
import { decodeText, readProtobufFields } from '../protobuf/protobuf-reader.js';
import { ProtobufWriter } from '../protobuf/protobuf-writer.js';

/**
 * Decodes a `CredentialsRequest` or a `GetTokenAuthorityRequest` (both carry the registry host
 * as field 1) into the host.
 *
 * @example
 * ```ts
 * decodeAuthHostRequest(message); // '127.0.0.1:5000' or 'registry-1.docker.io'
 * ```
 */
export function decodeAuthHostRequest(bytes: Uint8Array): string {
  let host = '';
  for (const field of readProtobufFields(bytes)) {
    if (field.number === 1 && field.wireType === 2) host = decodeText(field.value);
  }
  return host;
}

/**
 * Encodes a `CredentialsResponse`: empty username and secret mean anonymous.
 *
 * @example
 * ```ts
 * encodeCredentialsResponse({ username: 'ci', secret: token });
 * ```
 */
export function encodeCredentialsResponse(credentials: { readonly username: string; readonly secret: string }): Uint8Array {
  return new ProtobufWriter().string(1, credentials.username).string(2, credentials.secret).finish();
}

/**
 * Decodes a `CredentialsResponse` (for tests and tools that play the engine's side).
 *
 * @example
 * ```ts
 * decodeCredentialsResponse(bytes); // { username: 'ci', secret: '…' }
 * ```
 */
export function decodeCredentialsResponse(bytes: Uint8Array): { username: string; secret: string } {
  let username = '';
  let secret = '';
  for (const field of readProtobufFields(bytes)) {
    if (field.wireType !== 2) continue;
    if (field.number === 1) username = decodeText(field.value);
    else if (field.number === 2) secret = decodeText(field.value);
  }
  return { username, secret };
}

/**
 * Encodes a `CredentialsRequest` (for tests and tools that play the engine's side).
 *
 * @example
 * ```ts
 * encodeCredentialsRequest('127.0.0.1:5000');
 * ```
 */
export function encodeCredentialsRequest(host: string): Uint8Array {
  return new ProtobufWriter().string(1, host).finish();
}
