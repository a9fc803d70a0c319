import type { JsonMessage } from '@berth/engine-protocol';
import { decodeBuildkitStatus } from '../buildkit/buildkit-status.js';
import { layerStateOf } from './layer-state.js';
import type { LayerProgressEvent, ProgressEvent } from './progress-event.js';
import { parsePullDigest, parsePushDigest } from './push-digest.js';
import { definedEntries } from '@berth/engine-protocol/internal';

const buildkitTraceId = 'moby.buildkit.trace';
const warningPrefix = /^\s*(?:\[warning\]|warning:|\[deprecation notice\])/i;

/**
 * Turns one engine JSON message (pull, push, build, load) into a typed {@link ProgressEvent}.
 * Every message gives exactly one event; what no other kind covers becomes `auxiliary`.
 *
 * @example
 * ```ts
 * parseProgressEvent({ status: 'Downloading', id: '0270d50d2c90', progressDetail: { current: 36412, total: 1500641 } });
 * // { type: 'layer', layerId: '0270d50d2c90', state: 'downloading', status: 'Downloading', current: 36412, total: 1500641, raw }
 * parseProgressEvent({ aux: { ID: 'sha256:b9a7…' } }); // { type: 'image-id', imageId: 'sha256:b9a7…', raw }
 * ```
 */
export function parseProgressEvent(message: JsonMessage): ProgressEvent {
  const raw = message;
  if (message.errorDetail !== undefined || message.error !== undefined) {
    const text = message.errorDetail?.message ?? message.error ?? 'The engine reported an error without a message.';
    const code = message.errorDetail?.code;
    return { type: 'error', text, ...definedEntries({ code }), raw };
  }
  if (message.aux !== undefined) {
    const aux = message.aux;
    if (typeof aux === 'object' && aux !== null && typeof (aux as { ID?: unknown }).ID === 'string') {
      return { type: 'image-id', imageId: (aux as { ID: string }).ID, raw };
    }
    const pushed = parsePushDigest(message);
    if (pushed !== undefined) return { type: 'digest', ...pushed, raw };
    if (message.id === buildkitTraceId && typeof aux === 'string') {
      try {
        return { type: 'buildkit-status', status: decodeBuildkitStatus(aux), raw };
      } catch {
        // Not a StatusResponse after all: keep it raw below.
      }
    }
    return { type: 'auxiliary', ...definedEntries({ id: message.id }), data: aux, raw };
  }
  if (typeof message.stream === 'string') {
    if (warningPrefix.test(message.stream)) return { type: 'warning', text: message.stream, raw };
    return { type: 'output', text: message.stream, raw };
  }
  if (typeof message.status === 'string') {
    const status = message.status;
    // Both digest lines contain "igest: " (": digest: " for a push, "Digest: " for a pull):
    // the common progress line skips the two regular expressions.
    if (status.includes('igest: ')) {
      const pushed = parsePushDigest(message);
      if (pushed !== undefined) return { type: 'digest', ...pushed, raw };
      const pulled = parsePullDigest(message);
      if (pulled !== undefined) return { type: 'digest', digest: pulled, raw };
    }
    const detail = message.progressDetail;
    const current = detail === undefined ? undefined : detail.current;
    const total = detail === undefined ? undefined : detail.total;
    const state = layerStateOf(status);
    if (message.id !== undefined && (state !== undefined || current !== undefined)) {
      // Built field by field: this runs once per progress line, and spreads cost several times more.
      const event: { -readonly [K in keyof LayerProgressEvent]: LayerProgressEvent[K] } = {
        type: 'layer',
        layerId: message.id,
        state: state ?? 'unknown',
        status,
        raw,
      };
      if (current !== undefined) event.current = current;
      if (total !== undefined && total > 0) event.total = total;
      return event;
    }
    if (warningPrefix.test(status)) return { type: 'warning', text: status, raw };
    return { type: 'status', status, ...definedEntries({ id: message.id }), raw };
  }
  return { type: 'auxiliary', ...definedEntries({ id: message.id }), data: undefined, raw };
}
