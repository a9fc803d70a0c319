import type { CallOptions } from '../client/call-signal.js';
import { pingEndpoint, type EngineClient } from '../client/create-client.js';

/** What `/_ping` tells about the engine. */
export interface PingResult {
  /** The engine's maximum API version (`Api-Version`). */
  readonly apiVersion: string | undefined;
  /** Default builder: `2` BuildKit, `1` classic (`Builder-Version`). */
  readonly builderVersion: string | undefined;
  /** Whether experimental features are on (`Docker-Experimental`). */
  readonly experimental: boolean;
  /** `linux` or `windows` (`Ostype`). */
  readonly osType: string | undefined;
  /** Swarm status (`Swarm`), v1.42+. */
  readonly swarm: string | undefined;
  /** The body, `OK`. */
  readonly body: string;
}

/**
 * `GET /_ping`: checks that the engine answers and reads its headers.
 *
 * @example
 * ```ts
 * const { apiVersion, builderVersion } = await ping(client, { timeout: 2_000 });
 * ```
 */
export async function ping(client: EngineClient, options?: CallOptions): Promise<PingResult> {
  const response = await client.send(pingEndpoint, {}, options);
  const body = await response.text();
  return {
    apiVersion: response.header('api-version'),
    builderVersion: response.header('builder-version'),
    experimental: response.header('docker-experimental') === 'true',
    osType: response.header('ostype'),
    swarm: response.header('swarm'),
    body,
  };
}
