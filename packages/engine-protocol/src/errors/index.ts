export { BerthError, type BerthErrorOptions } from './base-error.js';
export { EngineError, NotFoundError, ConflictError, UnsupportedEndpointError } from './engine-error.js';
export {
  TransportError,
  ConnectionError,
  SocketClosedError,
  TimeoutError,
  AbortedError,
  ClientClosedError,
  type TransportErrorOptions,
} from './transport-error.js';
export {
  StreamError,
  StreamMessageError,
  StreamDecodeError,
  UnexpectedReplyError,
  type UnexpectedReplyReason,
  type UnexpectedReplyErrorOptions,
  type StreamMessageErrorOptions,
  type StreamDecodeErrorOptions,
} from './stream-error.js';
export {
  InvalidArgumentError,
  UnsupportedOptionError,
  ApiVersionError,
  type InvalidArgumentErrorOptions,
} from './argument-error.js';
