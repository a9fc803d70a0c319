// @berth/engine-protocol: raw Engine API endpoints, the request pipeline, version
// negotiation, errors and stream decoding. It opens no sockets: a transport supplies those.
// What Berth's packages and transport authors share beyond this is in ./internal.ts
// (`@berth/engine-protocol/internal`).

export * from './errors/index.js';
export type { EngineErrorParameters } from './errors/engine-error.js';
export type { RedactedRequest } from './errors/redact.js';
export type { Transport } from './transport.js';

export {
  CLIENT_MAX_API_VERSION,
  CLIENT_MIN_API_VERSION,
  compareApiVersions,
  isApiVersionAtLeast,
  parseApiVersion,
} from './version/api-version.js';

export { defineEndpoint } from './request/endpoint.js';
export type { EndpointDefinition, JsonShape, ParameterDefinition, ParameterKind, ResponseKind } from './request/endpoint.js';
export type { PreparedRequest } from './request/build-request.js';
export type { FiltersInput } from './request/filters.js';
export type { PlatformInput, PlatformObject } from './request/platform.js';
export type { RegistryAuthConfig } from './request/registry-auth.js';

export { createEngineClient, pingEndpoint, type EngineClient, type EngineClientOptions } from './client/create-client.js';
export type { CallOptions } from './client/call-signal.js';
export type { TransportErrorContext } from './client/map-transport-error.js';
export type { CloseOptions } from './client/client-lifecycle.js';
export { DEFAULT_MAX_REPLY_BYTES, EngineResponse } from './client/engine-response.js';
export type { UpgradedConnection, UpgradeOptions } from './client/upgrade-connection.js';

export * from './endpoints/definitions.js';
export { grpcEndpoint, sessionEndpoint } from './endpoints/upgrade-definitions.js';
export type { JsonMessageStream } from './endpoints/replies.js';
export type { UploadBody } from './endpoints/upload-body.js';
export { listImages, type ListImagesParameters } from './endpoints/list-images.js';
export { inspectImage, type InspectImageParameters } from './endpoints/inspect-image.js';
export { getImageHistory, type GetImageHistoryParameters } from './endpoints/get-image-history.js';
export { tagImage, type TagImageParameters } from './endpoints/tag-image.js';
export { deleteImage, type DeleteImageParameters } from './endpoints/delete-image.js';
export { searchImages, type SearchImagesParameters } from './endpoints/search-images.js';
export { pruneImages, type PruneImagesParameters } from './endpoints/prune-images.js';
export { pullImage, type PullImageParameters } from './endpoints/pull-image.js';
export { importImage, type ImportImageParameters } from './endpoints/import-image.js';
export { pushImage, type PushImageParameters } from './endpoints/push-image.js';
export { saveImages, type SaveImagesParameters } from './endpoints/save-images.js';
export { loadImages, type LoadImagesParameters } from './endpoints/load-images.js';
export { inspectDistribution, type InspectDistributionParameters } from './endpoints/inspect-distribution.js';
export { buildImage, type BuildImageParameters } from './endpoints/build-image.js';
export { pruneBuildCache, type PruneBuildCacheParameters } from './endpoints/prune-build-cache.js';
export { cancelBuild } from './endpoints/cancel-build.js';
export { checkRegistryAuth } from './endpoints/check-registry-auth.js';
export { getVersion } from './endpoints/get-version.js';
export { ping, type PingResult } from './endpoints/ping.js';
// Endpoint types from the spec (see docs/architecture.md).
export type {
  EndpointParameterInput,
  EndpointParameters,
  EndpointReply,
  NotInSpec,
  ParametersMissingFromSpec,
  SpecParameterType,
  WithUploadBody,
} from './endpoints/endpoint-types.js';
export type { BuildUlimit, SpecParameterCorrections, SpecReplyCorrections } from './endpoints/spec-corrections.js';

export * from './streams/index.js';
export * from './reference/index.js';
export type * from './generated/index.js';
