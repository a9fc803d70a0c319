// Files held in memory as a FileSync source: the Dockerfile of a build whose Dockerfile was given
// as text, or an empty context.
import { InvalidArgumentError } from '@berth/engine-protocol';
import type { DirectorySource, SourceEntry } from './directory-source.js';

/**
 * Serves the given files as one flat directory: regular files, mode 0644, owner 0:0, all with
 * the modification time of this call. Names may not contain `/`.
 *
 * @example
 * ```ts
 * const dockerfile = memoryDirectory({ Dockerfile: 'FROM scratch\nCOPY . /\n' });
 * const empty = memoryDirectory({});
 * ```
 */
export function memoryDirectory(files: Readonly<Record<string, string | Uint8Array>>): DirectorySource {
  const modTime = BigInt(Date.now()) * 1_000_000n;
  const contents = new Map<string, Uint8Array>();
  for (const [name, content] of Object.entries(files)) {
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
      throw new InvalidArgumentError(`Invalid in-memory file name ${JSON.stringify(name)}.`, { argument: 'files' });
    }
    contents.set(name, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
  }
  const entryOf = (name: string, content: Uint8Array): SourceEntry => ({
    name,
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: content.length,
    modTime,
    linkname: '',
    devmajor: 0,
    devminor: 0,
  });
  const names = [...contents.keys()].sort((left, right) => Buffer.compare(Buffer.from(left), Buffer.from(right)));
  return {
    description: `in-memory files (${names.join(', ') || 'none'})`,
    list: async (path) => (path === '' ? names.map((name) => entryOf(name, contents.get(name) as Uint8Array)) : []),
    entry: async (path) => {
      const content = contents.get(path);
      return content === undefined ? undefined : entryOf(path, content);
    },
    async *read(path) {
      const content = contents.get(path);
      if (content !== undefined && content.length > 0) yield content;
    },
  };
}
