/** The 12 hex characters docker shows for an id (`sha256:` dropped), or the whole id with `noTrunc`. */
export function displayId(id: string, noTrunc = false): string {
  if (noTrunc) return id;
  return id.replace(/^sha256:/, '').slice(0, 12);
}
