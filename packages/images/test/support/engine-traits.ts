// What the harness engine under test is, read from the engine itself, so that one suite can
// assert each engine's real behaviour (Engine 20.10, 26.1, 28.5 with the containerd image store,
// Podman) instead of skipping what differs.
import { getVersion, inspectImage, isApiVersionAtLeast, type EngineClient } from '@berth/engine-protocol';
import type { TestEngine } from '@berth/test-engine';

export interface EngineTraits {
  /** `podman` when the engine's /version names a Podman Engine component. */
  readonly kind: 'docker' | 'podman';
  /** The containerd image store (inspect data carries the image's `Descriptor`). */
  readonly containerdStore: boolean;
  /** The negotiated API version. */
  readonly apiVersion: string;
  /** Whether the negotiated API version is at least `version`. */
  atLeast(version: string): boolean;
}

/** Reads the traits once per client. */
export async function engineTraits(client: EngineClient, engine: TestEngine): Promise<EngineTraits> {
  const version = await getVersion(client);
  const kind = (version.Components ?? []).some((component) => component.Name === 'Podman Engine') ? 'podman' : 'docker';
  const seed = await inspectImage(client, { name: engine.seedImage });
  const apiVersion = await client.apiVersion();
  return {
    kind,
    containerdStore: kind === 'docker' && (seed as { Descriptor?: unknown }).Descriptor !== undefined,
    apiVersion,
    atLeast: (required) => isApiVersionAtLeast(apiVersion, required),
  };
}

/**
 * A tag as the docker CLI shows it: Podman qualifies every name (`docker.io/berth-it/x:v1`,
 * `docker.io/library/x:v1`); Docker keeps the familiar form.
 */
export function familiarTag(tag: string): string {
  for (const prefix of ['docker.io/library/', 'docker.io/']) if (tag.startsWith(prefix)) return tag.slice(prefix.length);
  return tag;
}
