export { BerthError, type BerthErrorOptions } from './base-error.js';
export { EngineError, NotFoundError, ConflictError, createEngineError, type EngineErrorParameters } from './engine-error.js';
export { UnsupportedEndpointError, UNSUPPORTED_ENDPOINT_CODE, isUnsupportedEndpointReply } from './engine-error.js';
export {
  TransportError,
  ConnectionError,
  SocketClosedError,
  TimeoutError,
  AbortedError,
  ClientClosedError,
  CLIENT_CLOSED_CODE,
  type TransportErrorOptions,
} from './transport-error.js';
export {
  StreamError,
  StreamMessageError,
  StreamDecodeError,
  UnexpectedReplyError,
  type UnexpectedReplyCode,
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
export { describeType, describeValue } from './describe-value.js';
export { redactHeaders, redactUrl, redactRequest, redactText, type RedactedRequest } from './redact.js';
