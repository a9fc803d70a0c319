import type { ProgressEvent } from './progress-event.js';

const successfullyBuilt = /^Successfully built ([0-9a-f]{12,64})\s*$/;
// Docker's quiet build prints `sha256:<hex>`, Podman's the bare 64 hex digits.
const quietId = /^((?:sha256:)?[0-9a-f]{64})\s*$/;

/**
 * Finds the id of the image a build produced in its events: the image-id event (classic builder
 * `aux: {ID}`, BuildKit `moby.image.id`) wins; else the text forms `Successfully built <id>`
 * (a short id) or, for a quiet build, a line holding only `sha256:<hex>` (Docker) or the 64 hex
 * digits (Podman). The last match counts.
 * `undefined` when the build reported none.
 *
 * @example
 * ```ts
 * builtImageIdOf(building.log); // 'sha256:b9a7eb81c31e…'
 * ```
 */
export function builtImageIdOf(events: Iterable<ProgressEvent>): string | undefined {
  let fromAux: string | undefined;
  let fromText: string | undefined;
  for (const event of events) {
    if (event.type === 'image-id') fromAux = event.imageId;
    else if (event.type === 'output') {
      for (const line of event.text.split('\n')) {
        const match = successfullyBuilt.exec(line) ?? quietId.exec(line);
        if (match !== null) fromText = match[1];
      }
    }
  }
  return fromAux ?? fromText;
}
