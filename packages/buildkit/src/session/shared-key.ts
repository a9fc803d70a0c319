// The session's shared key names the engine's cache of a synced directory: the same key on the
// next build lets the engine diff against what it has and ask only for changed files. Like the
// docker CLI's, it derives from this machine and the directory, so two machines with the same
// path never share (the engine compares size and time, not content).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';

let machineIdentity: string | undefined;

function machine(): string {
  if (machineIdentity !== undefined) return machineIdentity;
  let machineId = '';
  for (const path of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    try {
      machineId = readFileSync(path, 'utf8').trim();
      if (machineId) break;
    } catch {
      // Not every system has one; the host name and user still tell machines apart.
    }
  }
  let user = '';
  try {
    user = String(userInfo().uid);
  } catch {
    user = '';
  }
  machineIdentity = `${machineId}:${hostname()}:${user}`;
  return machineIdentity;
}

/**
 * A stable shared key for a session that serves `directory` (an absolute path): a SHA-256 of
 * this machine's identity and the path.
 *
 * @example
 * ```ts
 * sharedKeyFor('/home/me/app'); // '3f1c…' (64 hex digits), the same on every build from this machine
 * ```
 */
export function sharedKeyFor(directory: string): string {
  return createHash('sha256').update(`${machine()}\n${directory}`).digest('hex');
}
