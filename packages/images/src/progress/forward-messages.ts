import { StreamMessageError, type JsonMessage } from '@berth/engine-protocol';
import { parseProgressEvent } from './parse-progress-event.js';
import type { ProgressEvent } from './progress-event.js';

/**
 * Reads an engine progress stream to its end, turning each message into a typed event and
 * handing it to `emit` (and to `observe`, where the caller gathers its result). A failure
 * reported in the stream is emitted as an `error` event, then thrown as the
 * `StreamMessageError` the decoder raised.
 * @internal
 */
export async function forwardMessages(
  stream: AsyncIterable<JsonMessage>,
  emit: (event: ProgressEvent) => void,
  observe?: (event: ProgressEvent) => void,
): Promise<void> {
  const deliver = (message: JsonMessage): void => {
    const event = parseProgressEvent(message);
    observe?.(event);
    emit(event);
  };
  try {
    for await (const message of stream) deliver(message);
  } catch (error) {
    if (error instanceof StreamMessageError && isMessage(error.rawMessage)) deliver(error.rawMessage);
    throw error;
  }
}

function isMessage(value: unknown): value is JsonMessage {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
