// Produces the archive of a context directory: the walked entries in order, then what the
// Docker CLI adds when the Dockerfile is generated (the Dockerfile under its generated name,
// and the generated name appended to `.dockerignore` so that the engine's classic builder
// removes it from the context after reading it).
import type { BigIntStats } from 'node:fs';
import { readlink } from 'node:fs/promises';
import type { Pack } from 'tar-stream';
import type { PatternMatcher } from './dockerignore/pattern-matcher.js';
import { entryHeader, generatedFileHeader } from './tar/entry-header.js';
import { writeBufferEntry, writeEmptyEntry, writeFileEntry } from './tar/write-entry.js';
import { unreadableContextPathError } from './walk/file-system-error.js';
import { walkContext } from './walk/walk-context.js';

/** Everything {@link writeContextArchive} needs. */
export interface ContextArchivePlan {
  /** Absolute, symlink-free context directory. */
  readonly root: string;
  /** The .dockerignore rules. */
  readonly matcher: PatternMatcher;
  /** Paths always sent (the Dockerfile inside the context, `.dockerignore`). */
  readonly forcedPaths: ReadonlySet<string>;
  /** A Dockerfile added under a generated name, and the `.dockerignore` bytes to rewrite. */
  readonly generatedDockerfile?: {
    readonly name: string;
    readonly content: Buffer;
    /** The context's `.dockerignore` content, or undefined when it has none. */
    readonly dockerignoreContent: Buffer | undefined;
  };
}

/**
 * Writes every entry of the planned context into `pack`, stopping when `signal` aborts.
 *
 * @example
 * ```ts
 * await writeContextArchive(pack, { root, matcher, forcedPaths: new Set(['Dockerfile']) }, signal);
 * pack.finalize();
 * ```
 */
export async function writeContextArchive(pack: Pack, plan: ContextArchivePlan, signal: AbortSignal): Promise<void> {
  const generated = plan.generatedDockerfile;
  const rewrittenDockerignore =
    generated === undefined
      ? undefined
      : Buffer.concat([generated.dockerignoreContent ?? Buffer.from('.dockerignore'), Buffer.from(`\n${generated.name}\n`)]);
  let dockerignoreWritten = false;
  // First archived path of each multiply linked inode: later ones become hard links to it.
  const firstPathOfInode = new Map<string, string>();

  for await (const entry of walkContext(plan)) {
    signal.throwIfAborted();
    const { relativePath, absolutePath, stats } = entry;
    if (rewrittenDockerignore !== undefined && relativePath === '.dockerignore' && !stats.isDirectory()) {
      const mode = stats.isFile() ? Number(stats.mode) & 0o7777 : 0o600;
      const header = generatedFileHeader(relativePath, rewrittenDockerignore.byteLength, mode, entryHeader(relativePath, stats).mtime);
      await writeBufferEntry(pack, header, rewrittenDockerignore);
      dockerignoreWritten = true;
      continue;
    }
    const hardLinkTarget = hardLinkTargetOf(relativePath, stats, firstPathOfInode);
    if (hardLinkTarget !== undefined) {
      await writeEmptyEntry(pack, entryHeader(relativePath, stats, { hardLinkTarget }));
    } else if (stats.isSymbolicLink()) {
      const symbolicLinkTarget = await readlink(absolutePath).catch((error: unknown) => {
        throw unreadableContextPathError(absolutePath, 'file', error);
      });
      await writeEmptyEntry(pack, entryHeader(relativePath, stats, { symbolicLinkTarget }));
    } else if (stats.isDirectory()) {
      await writeEmptyEntry(pack, entryHeader(relativePath, stats));
    } else {
      await writeFileEntry(pack, entryHeader(relativePath, stats), absolutePath, signal);
    }
  }

  if (generated !== undefined && rewrittenDockerignore !== undefined) {
    signal.throwIfAborted();
    await writeBufferEntry(pack, generatedFileHeader(generated.name, generated.content.byteLength, 0o600), generated.content);
    if (!dockerignoreWritten) {
      await writeBufferEntry(pack, generatedFileHeader('.dockerignore', rewrittenDockerignore.byteLength, 0o600), rewrittenDockerignore);
    }
  }
}

function hardLinkTargetOf(relativePath: string, stats: BigIntStats, firstPathOfInode: Map<string, string>): string | undefined {
  if (stats.isDirectory() || stats.nlink <= 1n) return undefined;
  const inode = `${stats.dev}:${stats.ino}`;
  const first = firstPathOfInode.get(inode);
  if (first !== undefined) return first;
  firstPathOfInode.set(inode, relativePath);
  return undefined;
}
