import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { everyRendering } from '@berth/test-engine';
import { afterAll } from 'vitest';

// Shared with the other packages' secret checks.
export { everyRendering };

const created: string[] = [];
afterAll(async () => {
  await Promise.all(created.map((path) => rm(path, { recursive: true, force: true })));
});

/** A fresh temporary directory, removed after the test file. */
export async function temporaryDirectory(prefix = 'berth-credentials-'): Promise<string> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  created.push(path);
  return path;
}

/** Standard base64 of UTF-8 text, as config.json stores `auth`. */
export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Writes an executable `docker-credential-<name>` shell script into `directory`. */
export async function writeHelper(directory: string, name: string, body: string, mode = 0o755): Promise<string> {
  await mkdir(directory, { recursive: true });
  const path = join(directory, `docker-credential-${name}`);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, mode);
  return path;
}

/**
 * A helper that really stores: one file per server URL under `$BERTH_FAKE_STORE`, `list` built
 * from them. Every call also appends "<action> <stdin>" to `$BERTH_FAKE_STORE/calls.log`.
 */
export const storingHelperScript = String.raw`
action="$1"
input=$(cat)
dir="$BERTH_FAKE_STORE"
mkdir -p "$dir/entries"
printf '%s %s\n' "$action" "$input" >> "$dir/calls.log"
key_of() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
case "$action" in
  get)
    file="$dir/entries/$(key_of "$input")"
    if [ -f "$file" ]; then cat "$file"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  store)
    url=$(printf '%s' "$input" | sed -n 's/.*"ServerURL":"\([^"]*\)".*/\1/p')
    printf '%s' "$input" > "$dir/entries/$(key_of "$url")" ;;
  erase)
    file="$dir/entries/$(key_of "$input")"
    if [ -f "$file" ]; then rm "$file"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  list)
    printf '{'; sep=''
    for file in "$dir"/entries/*; do
      [ -f "$file" ] || continue
      url=$(sed -n 's/.*"ServerURL":"\([^"]*\)".*/\1/p' "$file")
      user=$(sed -n 's/.*"Username":"\([^"]*\)".*/\1/p' "$file")
      printf '%s"%s":"%s"' "$sep" "$url" "$user"; sep=','
    done
    printf '}' ;;
  *) echo "unknown action $action"; exit 2 ;;
esac
`;

/** An environment for helpers: `bin` first on PATH, HOME in a temp dir, nothing else of the host's. */
export function helperEnvironment(bin: string, home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`, HOME: home, ...extra };
}

/** Asserts that none of the secrets (nor their base64 forms) shows in any rendering of `value`. */
export function secretsIn(value: unknown, secrets: readonly string[]): string[] {
  const text = everyRendering(value);
  const forms = secrets.flatMap((secret) => [secret, base64(secret)]);
  return forms.filter((form) => text.includes(form));
}
