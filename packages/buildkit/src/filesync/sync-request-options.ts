// The options of a FileSync request, carried in gRPC metadata: `dir-name`, `include-patterns`,
// `exclude-patterns`, `followpaths`. BuildKit URL-escapes a key's values when one holds non-ASCII
// text and says so with `<key>-encoded: 1`.
import type { GrpcMetadata } from '../grpc/grpc-metadata.js';
import type { SyncFilters } from './sync-walk.js';

/**
 * A FileSync request's directory name and filters.
 *
 * @example
 * ```ts
 * const { directoryName, filters } = readSyncRequestOptions(call.metadata);
 * ```
 */
export interface SyncRequestOptions {
  /** The directory asked for (`context`, `dockerfile`, or a named context). */
  readonly directoryName: string;
  readonly filters: SyncFilters;
}

/**
 * Reads a FileSync request's metadata.
 *
 * @example
 * ```ts
 * readSyncRequestOptions(new Map([['dir-name', ['context']], ['exclude-patterns', ['*.log']]]));
 * // { directoryName: 'context', filters: { includePatterns: [], excludePatterns: ['*.log'], followPaths: [] } }
 * ```
 */
export function readSyncRequestOptions(metadata: GrpcMetadata): SyncRequestOptions {
  const values = (key: string): string[] => {
    const raw = metadata.get(key) ?? [];
    const encoded = /^(1|t|true)$/i.test(metadata.get(`${key}-encoded`)?.[0] ?? '');
    return encoded ? raw.map(queryUnescape) : [...raw];
  };
  return {
    directoryName: values('dir-name')[0] ?? '',
    filters: {
      includePatterns: values('include-patterns'),
      excludePatterns: values('exclude-patterns'),
      followPaths: values('followpaths'),
    },
  };
}

// Go's url.QueryUnescape: `+` is a space, `%XX` a byte; a malformed escape leaves the text as is
// (Go returns an error, which BuildKit ignores, keeping "").
function queryUnescape(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return '';
  }
}
