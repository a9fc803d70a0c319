import type { Image } from '@berth/images';
import type { ImageHistoryResponse } from '@berth/engine-protocol';

/** One row of the images table. */
export interface ImageRow {
  readonly id: string;
  readonly shortId: string;
  readonly tags: readonly string[];
  readonly size: number;
  readonly created: string;
  readonly dangling: boolean;
}

export function imageRow(image: Image): ImageRow {
  return {
    id: image.id,
    shortId: image.id.replace(/^sha256:/, '').slice(0, 12),
    tags: image.tags,
    size: image.attrs.Size ?? 0,
    created: image.attrs.Created ?? '',
    dangling: image.tags.length === 0,
  };
}

const metadataOnly = /^(?:ENV|LABEL|CMD|ENTRYPOINT|ARG|EXPOSE|USER|VOLUME|STOPSIGNAL|HEALTHCHECK|ONBUILD|SHELL|MAINTAINER)\b/;

/** What a history entry's step was, without the shell and builder decorations. */
function instructionOf(createdBy: string): string {
  return createdBy
    .replace(/^\/bin\/sh -c #\(nop\)\s*/, '')
    .replace(/^\|\d+ (?:\S+=\S* )*/, '')
    .trim();
}

/**
 * An image's detail: the inspect data, its history, and its layers. The history API does not
 * say which steps made a layer; steps that only set metadata (LABEL, ENV, CMD, …) do not, so
 * the others are paired with the image's layers, oldest first, when their counts agree (else the
 * layers are listed without a size).
 */
export function imageDetail(image: Image, history: ImageHistoryResponse): unknown {
  const layers = image.attrs.RootFS?.Layers ?? [];
  const layerSteps = [...history].reverse().filter((entry) => !metadataOnly.test(instructionOf(entry.CreatedBy ?? '')));
  const paired = layerSteps.length === layers.length;
  return {
    row: imageRow(image),
    inspect: image.attrs,
    history: history.map((entry) => ({ id: entry.Id, created: new Date(entry.Created * 1000).toISOString(), createdBy: entry.CreatedBy, size: entry.Size, comment: entry.Comment })),
    layers: layers.map((digest, index) => ({
      digest,
      size: paired ? layerSteps[index]?.Size : undefined,
      createdBy: paired ? layerSteps[index]?.CreatedBy : undefined,
    })),
  };
}
