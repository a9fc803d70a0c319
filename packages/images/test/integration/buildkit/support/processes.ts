// The host's process table: a build step's processes are host processes (runc), so a test can
// see a RUN step run and see it killed.
import { readdir, readFile } from 'node:fs/promises';

/** Process ids whose command line contains `marker`. */
export async function processesMatching(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const commandLine = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (commandLine.replaceAll('\0', ' ').includes(marker)) found.push(Number(entry));
  }
  return found;
}

/** Waits (polling) until `check` holds, or fails after `timeout` ms with `what`. */
export async function waitUntil(check: () => Promise<boolean>, what: string, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
