import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { definedEntries, jsonSyntaxLocationSuffix } from '@berth/engine-protocol/internal';
import { fileExists } from './file-exists.js';
import type { EndpointTls } from './resolved-endpoint.js';

/**
 * The folder name the docker CLI stores a context under: the SHA-256 of its name, in hex.
 *
 * @example
 * ```ts
 * contextDirectoryName('remote'); // 'f3b4…' (64 hex characters)
 * ```
 */
export function contextDirectoryName(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest('hex');
}

/**
 * Where a context's files live under a configuration directory.
 *
 * @example
 * ```ts
 * contextPaths('/home/me/.docker', 'remote').meta; // '/home/me/.docker/contexts/meta/<sha256>/meta.json'
 * ```
 */
export function contextPaths(configDirectory: string, name: string): { meta: string; tlsDirectory: string } {
  const id = contextDirectoryName(name);
  return {
    meta: join(configDirectory, 'contexts', 'meta', id, 'meta.json'),
    tlsDirectory: join(configDirectory, 'contexts', 'tls', id, 'docker'),
  };
}

/**
 * The Docker endpoint of a stored context: its `Host` (empty: the default socket) and TLS.
 *
 * @example
 * ```ts
 * const endpoint: ContextEndpoint = { host: 'tcp://10.0.0.5:2376', tls: { verify: true, caFile: '/…/ca.pem' } };
 * ```
 */
export interface ContextEndpoint {
  /** `Endpoints.docker.Host`; an empty string when the context names none. */
  readonly host: string;
  /** TLS when the context stores TLS files or sets `SkipTLSVerify`. */
  readonly tls?: EndpointTls;
}

/**
 * Reads the Docker endpoint of the context `name` from `<configDirectory>/contexts`. A missing
 * context, an unreadable `meta.json` or one without a Docker endpoint is an
 * `InvalidArgumentError` naming the context and the setting (`selectedBy`) that chose it.
 *
 * @example
 * ```ts
 * const { host, tls } = await readContextEndpoint('/home/me/.docker', 'remote', 'DOCKER_CONTEXT');
 * ```
 */
export async function readContextEndpoint(
  configDirectory: string,
  name: string,
  selectedBy: string,
): Promise<ContextEndpoint> {
  const paths = contextPaths(configDirectory, name);
  const context = { argument: selectedBy, metaMessages: [`Chosen by: ${selectedBy}`, `Looked in: ${paths.meta}`] };
  let text: string;
  try {
    text = await readFile(paths.meta, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new InvalidArgumentError(`Docker context "${name}" does not exist.`, {
        ...context,
        details: 'List contexts with `docker context ls`; create one with `docker context create`, or choose another.',
      });
    }
    throw new InvalidArgumentError(`Cannot read Docker context "${name}".`, { ...context, cause: error });
  }
  let meta: unknown;
  try {
    meta = JSON.parse(text);
  } catch {
    // The SyntaxError is dropped: its message quotes a slice of the file.
    throw new InvalidArgumentError(`Docker context "${name}" has a meta.json that is not JSON${jsonSyntaxLocationSuffix(text)}.`, {
      ...context,
      details: 'Fix or remove the context (`docker context rm`). The content is not shown.',
    });
  }
  const endpoints = isRecord(meta) ? meta['Endpoints'] : undefined;
  const docker = isRecord(endpoints) ? endpoints['docker'] : undefined;
  if (!isRecord(docker)) {
    throw new InvalidArgumentError(`Docker context "${name}" has no docker endpoint.`, context);
  }
  const host = docker['Host'] ?? '';
  if (typeof host !== 'string') {
    throw new InvalidArgumentError(`Docker context "${name}" has a Host that is not a string.`, context);
  }
  const skipVerify = docker['SkipTLSVerify'] === true;

  const [caFile, certificateFile, keyFile] = await Promise.all(
    ['ca.pem', 'cert.pem', 'key.pem'].map(async (file) => {
      const path = join(paths.tlsDirectory, file);
      return (await fileExists(path)) ? path : undefined;
    }),
  );
  // Like the CLI: TLS when the context stores TLS files or skips verification; a client
  // certificate only as a pair.
  const pair = certificateFile !== undefined && keyFile !== undefined;
  if (caFile === undefined && certificateFile === undefined && keyFile === undefined && !skipVerify) return { host };
  const tls: EndpointTls = {
    verify: !skipVerify,
    ...definedEntries({ caFile }),
    ...(pair ? { certificateFile, keyFile } : {}),
  };
  return { host, tls };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
