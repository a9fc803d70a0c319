/**
 * Pure decoders of the Engine API's streamed replies: JSON progress messages, multiplexed
 * attach/logs frames, and raw byte (tar) streams.
 *
 *
 * @module
 */
export {
  JsonMessageDecoder,
  decodeJsonMessages,
  throwIfErrorMessage,
  isErrorMessage,
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
export {
  rechunkBytes,
  guardTarStream,
  TarStreamGuard,
  type TarStreamGuardOptions,
  type GuardTarStreamOptions,
  type TarStreamGuardEnd,
} from './raw-bytes.js';
export { guardTarReadable, type GuardTarReadableOptions } from './guard-tar-readable.js';
