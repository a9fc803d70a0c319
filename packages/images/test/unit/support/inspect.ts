import type { FakeReply } from './fake-engine.js';

/** A plausible image id derived from a name, so each name inspects to a distinct image. */
export function idFor(name: string): string {
  let hash = 0n;
  for (const character of name) hash = (hash * 131n + BigInt(character.codePointAt(0) ?? 0)) % 2n ** 256n;
  return `sha256:${hash.toString(16).padStart(64, '0')}`;
}

/** The fake engine's answer to `GET /images/{name}/json`, or undefined for other paths. */
export function inspectReply(versionless: string, tagsFor: (name: string) => string[] = (name) => [name]): FakeReply | undefined {
  const match = /^\/images\/(.+)\/json$/.exec(versionless);
  if (match === null) return undefined;
  const name = decodeURIComponent(match[1] as string);
  const id = name.startsWith('sha256:') ? name : idFor(name);
  return { body: JSON.stringify({ Id: id, RepoTags: tagsFor(name), Config: { Labels: null } }) };
}
