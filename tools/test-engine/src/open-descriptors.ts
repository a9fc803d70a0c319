// Counts this process's open file descriptors (Linux /proc), so fault tests can check that a
// failure released what the call had opened.
import { readdirSync, readlinkSync } from 'node:fs';

/**
 * This process's open descriptors right now: all of them, and those that are sockets.
 *
 * @example
 * ```ts
 * const before = openDescriptors();
 * await faultyCall().catch(() => undefined);
 * await waitForDescriptors(before); // back to the baseline, or throws
 * ```
 */
export function openDescriptors(): { readonly total: number; readonly sockets: number } {
  let total = 0;
  let sockets = 0;
  for (const entry of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${entry}`);
    } catch {
      continue; // closed while listing (the listing's own descriptor, among others)
    }
    total += 1;
    if (target.startsWith('socket:')) sockets += 1;
  }
  return { total, sockets };
}

/**
 * Waits until the open descriptors (and sockets among them) are back to `baseline` or fewer,
 * polling for up to `timeout` ms (pooled keep-alive connections take their idle timeout to
 * go). Throws with both counts when they are not.
 *
 * @example
 * ```ts
 * await waitForDescriptors(baseline, 3_000);
 * ```
 */
export async function waitForDescriptors(baseline: { readonly total: number; readonly sockets: number }, timeout = 5_000): Promise<void> {
  const end = Date.now() + timeout;
  let now = openDescriptors();
  while (now.total > baseline.total || now.sockets > baseline.sockets) {
    if (Date.now() > end) {
      throw new Error(`Descriptors did not return to the baseline: ${now.total} open (${now.sockets} sockets), baseline ${baseline.total} (${baseline.sockets} sockets).`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    now = openDescriptors();
  }
}
