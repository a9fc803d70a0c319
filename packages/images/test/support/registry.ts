// Reads the harness registry directly over HTTP (it has no auth and no TLS).
const manifestTypes = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

/** The `Docker-Content-Digest` the registry serves for `repository:tag` (repository without host). */
export async function registryDigest(registry: string, repository: string, tag: string): Promise<string> {
  const response = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, { headers: { Accept: manifestTypes } });
  if (!response.ok) throw new Error(`registry answered ${response.status} for ${repository}:${tag}`);
  await response.arrayBuffer();
  const digest = response.headers.get('docker-content-digest');
  if (digest === null) throw new Error('registry sent no Docker-Content-Digest');
  return digest;
}

/** The tags the registry holds for a repository. */
export async function registryTags(registry: string, repository: string): Promise<string[]> {
  const response = await fetch(`http://${registry}/v2/${repository}/tags/list`);
  if (!response.ok) throw new Error(`registry answered ${response.status} for ${repository}`);
  return ((await response.json()) as { tags: string[] | null }).tags ?? [];
}
