// Plans the archive of a context directory: the listed entries in order, then what the Docker
// CLI adds when the Dockerfile is generated (the Dockerfile under its generated name, and the
// generated name appended to `.dockerignore` so that the engine's classic builder removes it
// from the context after reading it).
import { lstatSync, readlinkSync, type Stats } from 'node:fs';
import type { ArchiveItem } from './tar/archive-producer.js';
import { entryHeader, generatedFileHeader } from './tar/entry-header.js';
import { unreadableContextPathError } from './walk/file-system-error.js';
import type { ContextEntry } from './walk/walk-context.js';

/** Everything {@link contextArchiveItems} needs besides the listed entries. */
export interface ContextArchivePlan {
  /** A Dockerfile added under a generated name, and the `.dockerignore` bytes to rewrite. */
  readonly generatedDockerfile?: {
    readonly name: string;
    readonly content: Buffer;
    /** The context's `.dockerignore` content, or undefined when it has none. */
    readonly dockerignoreContent: Buffer | undefined;
  };
}

/**
 * The archive items of a listed context, in order. Symbolic link targets are read here, so
 * call it when the archive is about to be produced.
 */
export function contextArchiveItems(entries: readonly ContextEntry[], plan: ContextArchivePlan): ArchiveItem[] {
  const generated = plan.generatedDockerfile;
  const rewrittenDockerignore =
    generated === undefined
      ? undefined
      : Buffer.concat([generated.dockerignoreContent ?? Buffer.from('.dockerignore'), Buffer.from(`\n${generated.name}\n`)]);
  let dockerignoreWritten = false;
  // First archived path of each multiply linked inode: later ones become hard links to it.
  const firstPathOfInode = new Map<string, string>();
  const items: ArchiveItem[] = [];

  for (const { relativePath, absolutePath, stats } of entries) {
    if (rewrittenDockerignore !== undefined && relativePath === '.dockerignore' && !stats.isDirectory()) {
      const mode = stats.isFile() ? stats.mode & 0o7777 : 0o600;
      const header = generatedFileHeader(relativePath, rewrittenDockerignore.byteLength, mode, entryHeader(relativePath, stats, absolutePath).mtime);
      items.push({ header, content: rewrittenDockerignore });
      dockerignoreWritten = true;
      continue;
    }
    const hardLinkTarget = hardLinkTargetOf(relativePath, absolutePath, stats, firstPathOfInode);
    if (hardLinkTarget !== undefined) {
      items.push({ header: entryHeader(relativePath, stats, absolutePath, { hardLinkTarget }) });
    } else if (stats.isSymbolicLink()) {
      let symbolicLinkTarget: string;
      try {
        symbolicLinkTarget = readlinkSync(absolutePath);
      } catch (error) {
        throw unreadableContextPathError(absolutePath, 'file', error);
      }
      items.push({ header: entryHeader(relativePath, stats, absolutePath, { symbolicLinkTarget }) });
    } else if (stats.isDirectory()) {
      items.push({ header: entryHeader(relativePath, stats, absolutePath) });
    } else {
      items.push({ header: entryHeader(relativePath, stats, absolutePath), path: absolutePath });
    }
  }

  if (generated !== undefined && rewrittenDockerignore !== undefined) {
    items.push({ header: generatedFileHeader(generated.name, generated.content.byteLength, 0o600), content: generated.content });
    if (!dockerignoreWritten) {
      items.push({ header: generatedFileHeader('.dockerignore', rewrittenDockerignore.byteLength, 0o600), content: rewrittenDockerignore });
    }
  }
  return items;
}

function hardLinkTargetOf(relativePath: string, absolutePath: string, stats: Stats, firstPathOfInode: Map<string, string>): string | undefined {
  if (stats.isDirectory() || stats.nlink <= 1) return undefined;
  // Inode numbers can exceed 2^53: the exact ones, for the few files with several names.
  const exact = lstatSync(absolutePath, { bigint: true, throwIfNoEntry: false });
  const inode = exact === undefined ? `${stats.dev}:${stats.ino}` : `${exact.dev}:${exact.ino}`;
  const first = firstPathOfInode.get(inode);
  if (first !== undefined) return first;
  firstPathOfInode.set(inode, relativePath);
  return undefined;
}
