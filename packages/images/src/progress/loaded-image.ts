import type { ProgressEvent } from './progress-event.js';

/**
 * What a load reported about one image.
 *
 * @example
 * ```ts
 * const loaded: LoadedImage = { kind: 'reference', reference: 'app:v1' };
 * ```
 */
export type LoadedImage =
  /** A tagged image: `Loaded image: repo:tag`. */
  | { readonly kind: 'reference'; readonly reference: string }
  /** An untagged image: `Loaded image ID: sha256:…`. */
  | { readonly kind: 'id'; readonly imageId: string };

const loadedLine = /^Loaded image( ID)?: (\S.*?)\s*$/;

/**
 * Reads `Loaded image: repo:tag` or `Loaded image ID: sha256:…` from a load's output text; any
 * other text gives `undefined`.
 *
 * @example
 * ```ts
 * parseLoadedImage('Loaded image: app:v1\n'); // { kind: 'reference', reference: 'app:v1' }
 * parseLoadedImage('Loaded image ID: sha256:e7ab…\n'); // { kind: 'id', imageId: 'sha256:e7ab…' }
 * ```
 */
export function parseLoadedImage(text: string): LoadedImage | undefined {
  const match = loadedLine.exec(text.trim());
  if (match === null) return undefined;
  const value = match[2] as string;
  return match[1] === undefined ? { kind: 'reference', reference: value } : { kind: 'id', imageId: value };
}

/**
 * Every image a load reported, in order, from its events (each output event may hold one line
 * or several).
 *
 * @example
 * ```ts
 * const loaded = loadedImagesOf(loading.log); // [{ kind: 'reference', reference: 'app:v1' }]
 * ```
 */
export function loadedImagesOf(events: Iterable<ProgressEvent>): LoadedImage[] {
  const found: LoadedImage[] = [];
  for (const event of events) {
    if (event.type !== 'output') continue;
    for (const line of event.text.split('\n')) {
      const loaded = parseLoadedImage(line);
      if (loaded !== undefined) found.push(loaded);
    }
  }
  return found;
}
