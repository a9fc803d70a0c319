// moby.buildkit.secrets.v1.Secrets: `RUN --mount=type=secret,id=…` asks the session for the
// secret's bytes. BuildKit turns NOT_FOUND into "secret <id>: not found".
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { unaryHandler, type GrpcHandler } from '../grpc/grpc-server.js';
import { GrpcStatus, GrpcStatusError } from '../grpc/grpc-status.js';
import { decodeSecretRequest, encodeSecretResponse } from '../messages/secrets-messages.js';

/**
 * Where a build secret comes from: a value, a file read when the build starts, or an environment
 * variable.
 *
 * @example
 * ```ts
 * const secrets: Record<string, SecretSource> = {
 *   npmrc: { file: `${process.env.HOME}/.npmrc` },
 *   token: { env: 'GITHUB_TOKEN' },
 *   pin: { value: '1234' },
 * };
 * ```
 */
export type SecretSource = { readonly value: string | Uint8Array } | { readonly file: string } | { readonly env: string };

/**
 * Reads every secret now, so that a missing file or variable is an `InvalidArgumentError` before
 * the build starts. Errors name the id and the file or variable, never the content.
 *
 * @example
 * ```ts
 * const values = await resolveSecrets({ token: { env: 'TOKEN' } }, process.env);
 * ```
 */
export async function resolveSecrets(
  secrets: Readonly<Record<string, SecretSource>>,
  environment: Readonly<Record<string, string | undefined>>,
): Promise<Map<string, Uint8Array>> {
  if (typeof secrets !== 'object' || secrets === null || Array.isArray(secrets)) {
    throw new InvalidArgumentError('secrets must be an object of { id: { value } | { file } | { env } }.', { argument: 'secrets' });
  }
  const values = new Map<string, Uint8Array>();
  for (const [id, source] of Object.entries(secrets)) {
    const argument = `secrets.${id}`;
    if (id === '' || /[\s,=]/.test(id)) throw new InvalidArgumentError(`Invalid secret id ${JSON.stringify(id)}.`, { argument: 'secrets' });
    const keys = typeof source === 'object' && source !== null ? Object.keys(source).filter((key) => (source as Record<string, unknown>)[key] !== undefined) : [];
    if (keys.length !== 1 || !['value', 'file', 'env'].includes(keys[0] as string)) {
      throw new InvalidArgumentError(`Secret "${id}" needs exactly one of value, file or env.`, { argument });
    }
    if ('value' in source && source.value !== undefined) {
      if (typeof source.value !== 'string' && !(source.value instanceof Uint8Array)) {
        throw new InvalidArgumentError(`Secret "${id}": value must be a string or bytes.`, { argument });
      }
      values.set(id, typeof source.value === 'string' ? Buffer.from(source.value, 'utf8') : source.value);
    } else if ('file' in source && source.file !== undefined) {
      try {
        values.set(id, await readFile(source.file));
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        throw new InvalidArgumentError(`Secret "${id}": cannot read ${source.file}${typeof code === 'string' ? ` (${code})` : ''}.`, { argument });
      }
    } else if ('env' in source && source.env !== undefined) {
      const value = environment[source.env];
      if (value === undefined) throw new InvalidArgumentError(`Secret "${id}": the environment variable ${source.env} is not set.`, { argument });
      values.set(id, Buffer.from(value, 'utf8'));
    }
  }
  return values;
}

/**
 * The Secrets methods of a session. An id the build was not given is answered NOT_FOUND, which
 * the engine reports as `secret <id>: not found` (unless the mount is `required=false`).
 *
 * @example
 * ```ts
 * const server = new GrpcServer({ ...secretsMethods(await resolveSecrets(secrets, process.env), (id) => console.log('secret asked:', id)) });
 * ```
 */
export function secretsMethods(values: ReadonlyMap<string, Uint8Array>, onRequest: (id: string) => void): Record<string, GrpcHandler> {
  return {
    '/moby.buildkit.secrets.v1.Secrets/GetSecret': unaryHandler(decodeSecretRequest, async (request) => {
      onRequest(request.id);
      const value = values.get(request.id);
      if (value === undefined) throw new GrpcStatusError(GrpcStatus.notFound, `secret ${request.id} was not given to this build`);
      return encodeSecretResponse(value);
    }),
  };
}
