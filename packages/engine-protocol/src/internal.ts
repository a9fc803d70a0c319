// @berth/engine-protocol/internal: the building blocks Berth's own packages and transport
// authors share (error mapping, redaction, timeouts, request encoding, stream guards). Not for
// applications: these follow the needs of the packages built on them and may change in any
// minor release. Applications use the main entry, `@berth/engine-protocol`.

export { createEngineError, UNSUPPORTED_ENDPOINT_CODE, isUnsupportedEndpointReply } from './errors/engine-error.js';
export { CLIENT_CLOSED_CODE } from './errors/transport-error.js';
export { redactHeaders, redactUrl, redactRequest, redactText } from './errors/redact.js';
export { describeType, describeValue } from './errors/describe-value.js';

export { errorCode, mapTransportError } from './client/map-transport-error.js';
export { extractEngineMessage } from './client/read-error-body.js';
export { checkCallOptions } from './client/call-signal.js';
export { MAX_TIMEOUT, resolveMilliseconds, resolveTimeout } from './client/timeout.js';
export {
  deferredDispatcher,
  type DeferredDispatcher,
  type DeferredDispatcherOptions,
  type UndiciParts,
} from './client/deferred-dispatcher.js';

export { buildRequest, type BuildRequestOptions } from './request/build-request.js';
export { encodeFilters } from './request/filters.js';
export { formatPlatformJson, formatPlatformString, parsePlatformString } from './request/platform.js';
export { encodeRegistryAuth, encodeRegistryConfig } from './request/registry-auth.js';

export { toByteStream, toJsonMessageStream } from './endpoints/replies.js';
export { toUploadBody } from './endpoints/upload-body.js';

export { throwIfErrorMessage, isErrorMessage } from './streams/json-messages.js';
export {
  rechunkBytes,
  guardTarStream,
  TarStreamGuard,
  type TarStreamGuardOptions,
  type GuardTarStreamOptions,
  type TarStreamGuardEnd,
} from './streams/raw-bytes.js';
export { guardTarReadable, type GuardTarReadableOptions } from './streams/guard-tar-readable.js';

export { jsonSyntaxLocationSuffix, locateJsonSyntaxError, type JsonSyntaxLocation } from './json/json-syntax-location.js';

export { definedEntries, type DefinedEntries } from './object/defined-entries.js';
