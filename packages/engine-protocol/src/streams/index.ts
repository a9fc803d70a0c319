/**
 * Pure decoders of the Engine API's streamed replies: JSON progress messages, multiplexed
 * attach/logs frames, (the raw byte and tar guards are internal: ../internal.ts).
 *
 * @example
 * ```ts
 * import { decodeJsonMessages, decodeMultiplexedFrames } from '@berth/engine-protocol';
 * ```
 *
 * @module
 */
export {
  JsonMessageDecoder,
  decodeJsonMessages,
  type JsonMessage,
  type JsonProgressDetail,
  type JsonErrorDetail,
  type JsonMessageDecoderOptions,
  type DecodeJsonMessagesOptions,
} from './json-messages.js';
export {
  MultiplexedFrameDecoder,
  decodeMultiplexedFrames,
  demultiplexToStreams,
  type Frame,
  type FrameStream,
  type MultiplexedFrameDecoderOptions,
  type DecodeMultiplexedFramesOptions,
  type DemultiplexOptions,
  type DemultiplexResult,
} from './multiplexed-frames.js';
