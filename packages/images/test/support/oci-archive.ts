// Builds a real multi-platform image as an OCI image layout archive (what `docker save` writes
// on the containerd store): one small layer, config and manifest per platform, and an index
// naming them, tagged through the `io.containerd.image.name` annotation. Made in memory from
// scratch, so no registry or BuildKit is needed.
import { createHash } from 'node:crypto';
import tar from 'tar-stream';

export interface OciPlatform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export interface OciArchive {
  /** The archive bytes (`docker load` / `images.load` accept them). */
  readonly archive: Buffer;
  /** Digest of the index: the image id on the containerd store. */
  readonly indexDigest: string;
  /** Per platform: manifest digest, config digest (the graphdriver-style id), manifest and layer sizes. */
  readonly manifests: readonly {
    readonly platform: OciPlatform;
    readonly manifestDigest: string;
    readonly manifestSize: number;
    readonly configDigest: string;
    readonly configSize: number;
    readonly layerSize: number;
  }[];
}

const digestOf = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function tarOfEntries(entries: readonly { name: string; content: Buffer }[], mtime = new Date(0)): Promise<Buffer> {
  const pack = tar.pack();
  for (const { name, content } of entries) pack.entry({ name, mode: 0o644, mtime, uid: 0, gid: 0 }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/**
 * An OCI archive of `reference` for each platform. The reference must be fully qualified
 * (`docker.io/berth-it/multi:v1`), as `docker save` writes it: the containerd store takes the
 * annotation as the image name verbatim. Each platform gets a layer with
 * `/platform.txt` naming the platform (plus `label`, so that each test gets its own digests).
 */
export async function ociIndexArchive(reference: string, platforms: readonly OciPlatform[], label: string): Promise<OciArchive> {
  const blobs = new Map<string, Buffer>();
  const addBlob = (bytes: Buffer): string => {
    const digest = digestOf(bytes);
    blobs.set(digest, bytes);
    return digest;
  };
  const manifests: OciArchive['manifests'][number][] = [];
  const descriptors: unknown[] = [];
  for (const platform of platforms) {
    const name = [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
    const layer = await tarOfEntries([{ name: 'platform.txt', content: Buffer.from(`${name} ${label}\n`) }]);
    const layerDigest = addBlob(layer);
    const config = Buffer.from(
      JSON.stringify({
        architecture: platform.architecture,
        os: platform.os,
        ...(platform.variant ? { variant: platform.variant } : {}),
        config: { Cmd: ['/platform.txt'], Labels: { 'berth.test': label } },
        rootfs: { type: 'layers', diff_ids: [layerDigest] },
        history: [{ created_by: `berth test layer for ${name}` }],
      }),
    );
    const configDigest = addBlob(config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length }],
      }),
    );
    const manifestDigest = addBlob(manifest);
    manifests.push({ platform, manifestDigest, manifestSize: manifest.length, configDigest, configSize: config.length, layerSize: layer.length });
    descriptors.push({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifest.length, platform });
  }
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: descriptors }));
  const indexDigest = addBlob(index);
  const tag = reference.slice(reference.lastIndexOf(':') + 1);
  const outer = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.index.v1+json',
          digest: indexDigest,
          size: index.length,
          annotations: { 'io.containerd.image.name': reference, 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  const entries = [
    { name: 'oci-layout', content: Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })) },
    { name: 'index.json', content: outer },
    ...[...blobs].map(([digest, content]) => ({ name: `blobs/sha256/${digest.slice('sha256:'.length)}`, content })),
  ];
  return { archive: await tarOfEntries(entries), indexDigest, manifests };
}
