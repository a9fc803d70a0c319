// Test certificates from scripts/harness/tls.sh, made fresh in a temporary folder.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const tlsScript = fileURLToPath(new URL('../../../../scripts/harness/tls.sh', import.meta.url));

/** A folder of test certificates (see tls.sh for the file list). */
export interface TestCertificates {
  /** The folder. */
  readonly directory: string;
  /** Absolute path of one file in it. */
  path(name: string): string;
  /** Content of one file in it. */
  read(name: string): Buffer;
  /** Deletes the folder. */
  remove(): void;
}

/** Runs `tls.sh certs` into a new temporary folder (about a quarter of a second). */
export function createTestCertificates(): TestCertificates {
  const directory = mkdtempSync(join(tmpdir(), 'berth-tcp-certs-'));
  execFileSync('bash', [tlsScript, 'certs', directory], { stdio: ['ignore', 'ignore', 'pipe'] });
  return {
    directory,
    path: (name) => join(directory, name),
    read: (name) => readFileSync(join(directory, name)),
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}
