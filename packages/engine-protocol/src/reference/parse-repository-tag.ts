/**
 * Splits `repository[:tag]` or `repository@digest` without validating anything, like
 * docker-py's `parse_repository_tag`: the last `@` splits off a digest (returned with its
 * algorithm); otherwise the part after the last `:` is a tag only when it holds no `/`, so a
 * registry port (`localhost:5000/app`) is never mistaken for a tag.
 *
 * @example
 * ```ts
 * parseRepositoryTag('user/repo:tag'); // ['user/repo', 'tag']
 * parseRepositoryTag('localhost:5000/app'); // ['localhost:5000/app', undefined]
 * parseRepositoryTag('app@sha256:e3b0…'); // ['app', 'sha256:e3b0…']
 * ```
 */
export function parseRepositoryTag(repositoryName: string): [repository: string, tagOrDigest: string | undefined] {
  const atIndex = repositoryName.lastIndexOf('@');
  if (atIndex !== -1) return [repositoryName.slice(0, atIndex), repositoryName.slice(atIndex + 1)];
  const colonIndex = repositoryName.lastIndexOf(':');
  if (colonIndex !== -1) {
    const tag = repositoryName.slice(colonIndex + 1);
    if (!tag.includes('/')) return [repositoryName.slice(0, colonIndex), tag];
  }
  return [repositoryName, undefined];
}
