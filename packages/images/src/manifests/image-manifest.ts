import type { ImageManifestSummary, OCIPlatform } from '@berth/engine-protocol';
import type { Platform } from '../platform/platform.js';

/**
 * One manifest of an image on the containerd image store (Engine ≥ 27.3 with
 * `containerd-snapshotter`, the default from Engine 29): an image there is an index of
 * per-platform manifests (plus attestations), each present locally or not.
 *
 * @example
 * ```ts
 * const image = await images.get('localhost:5000/app:v1', { manifests: true });
 * for (const manifest of image.manifests) console.log(manifest.platform, manifest.available, manifest.size.content);
 * ```
 */
export interface ImageManifest {
  /** The manifest's digest (`sha256:…`): `docker image ls --tree`'s ID column, in full. */
  readonly digest: string;
  /** Media type (`application/vnd.oci.image.manifest.v1+json`, …). */
  readonly mediaType: string;
  /** `image` (runnable), `attestation` (provenance, SBOM: `attestationFor` names the image manifest) or `unknown`. */
  readonly kind: 'image' | 'attestation' | 'unknown';
  /** The platform of an `image` manifest (from the image config, else the index entry). */
  readonly platform: Platform | undefined;
  /**
   * Whether the manifest's content is all present locally (a `pull --platform` of another
   * platform leaves it `false`; a load of an archive that carries it makes it `true`).
   */
  readonly available: boolean;
  /** Sizes in bytes. */
  readonly size: {
    /** Everything this manifest takes on disk: content plus unpacked snapshots. */
    readonly total: number;
    /** The distributable (compressed) content: manifest, config and layers. */
    readonly content: number;
    /** The unpacked layers containers use; `0` when not unpacked, `undefined` when not an image. */
    readonly unpacked: number | undefined;
  };
  /** Containers using this platform's image. */
  readonly containers: readonly string[];
  /** For an attestation: the digest of the image manifest it is about. */
  readonly attestationFor: string | undefined;
}

/**
 * The typed manifests of an engine's `Manifests` list (list or inspect with `manifests`);
 * `[]` when the engine sent none (the graphdriver store, Podman, or not asked for).
 *
 * @example
 * ```ts
 * imageManifestsOf(await inspectImage(client, { name: 'app:v1', manifests: true })).filter((manifest) => manifest.available);
 * ```
 */
export function imageManifestsOf(attrs: { readonly Manifests?: readonly ImageManifestSummary[] | null | undefined }): ImageManifest[] {
  return (attrs.Manifests ?? []).map((summary) => {
    const platform = platformOf(summary.ImageData?.Platform ?? undefined) ?? platformOf(summary.Descriptor.platform ?? undefined);
    return {
      digest: summary.ID,
      mediaType: summary.Descriptor.mediaType ?? '',
      kind: summary.Kind,
      platform: summary.Kind === 'attestation' ? undefined : platform,
      available: summary.Available,
      size: { total: summary.Size.Total, content: summary.Size.Content, unpacked: summary.ImageData?.Size.Unpacked },
      containers: [...(summary.ImageData?.Containers ?? [])],
      attestationFor: summary.AttestationData?.For,
    };
  });
}

function platformOf(platform: OCIPlatform | undefined): Platform | undefined {
  if (platform?.os === undefined || platform.architecture === undefined || platform.os === '' || platform.architecture === '') return undefined;
  return { os: platform.os, architecture: platform.architecture, ...(platform.variant ? { variant: platform.variant } : {}) };
}
