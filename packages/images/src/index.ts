// @berth/images: docker-py's image models in TypeScript — Image, RegistryData, ImageCollection —
// with typed progress for pull, push, build and load.

export { Model } from './model/model.js';
export { Collection } from './model/collection.js';
export { shortenId } from './model/short-id.js';
export { Image, type SaveImageOptions, type TagImageOptions } from './image.js';
export { RegistryData, type RegistryDataPullOptions } from './registry-data.js';
export { ImageCollection } from './image-collection.js';
export { imageManifestsOf, type ImageManifest } from './manifests/image-manifest.js';
export type {
  BuildResult,
  ExportedBuildResult,
  GetImageOptions,
  ImageCollectionOptions,
  ListImagesOptions,
  LoadOptions,
  PruneBuildsOptions,
  PruneImagesOptions,
  PullOptions,
  PushOptions,
  PushResult,
  RegistryDataOptions,
  RemoveImageOptions,
  SearchOptions,
} from './image-collection-options.js';
export type { RegistryCredentialProvider } from './credentials/registry-credential-provider.js';
// The build session's own types, for the BuildKit options of `build` (`secrets`, `ssh`, `onFileSync`).
export type { BuildSessionStatistics, FileSyncEvent, OutputStatistics, SecretSource, SshAgents } from '@berth/buildkit';

export type { BuildOptions, BuildContainerLimits, BuildOutput, BuildCacheExport } from './build/build-options.js';
export type { FailedStep } from './build/failed-step.js';
export { BuildError, type BuildErrorOptions } from './build/build-error.js';
export { readProxyBuildArguments, type ProxyConfigurationSource } from './build/proxy-build-arguments.js';
export type { LoadSource } from './load/load-source.js';

export type {
  ProgressEvent,
  ProgressEventBase,
  LayerProgressEvent,
  StatusEvent,
  OutputEvent,
  ImageIdEvent,
  DigestEvent,
  AuxiliaryEvent,
  BuildkitStatusEvent,
  WarningEvent,
  ErrorEvent,
  CompleteEvent,
} from './progress/progress-event.js';
export { parseProgressEvent } from './progress/parse-progress-event.js';
export { isByteCountUpdate } from './progress/byte-count-update.js';
export { layerStateOf, isFinishedLayerState, type LayerState } from './progress/layer-state.js';
export {
  ProgressOperation,
  type ProgressExecutor,
  type ProgressExecutorContext,
  type ProgressOperationOptions,
} from './progress/progress-operation.js';
export {
  LayerProgressAggregator,
  type LayerProgress,
  type ProgressTotals,
} from './progress/layer-progress-aggregator.js';
export {
  BuildStepAggregator,
  type BuildStepAggregatorOptions,
  type BuildStepChange,
} from './progress/build-step-aggregator.js';
export {
  buildStepElapsedMs,
  type BuildStep,
  type BuildStepLogLine,
  type BuildStepProgress,
  type BuildStepState,
  type BuildStepWarning,
} from './progress/build-step.js';
export { parsePushDigest, parsePullDigest, type PushedDigest } from './progress/push-digest.js';
export { parseLoadedImage, loadedImagesOf, type LoadedImage } from './progress/loaded-image.js';
export { builtImageIdOf } from './progress/built-image-id.js';
export { buildOutputOf } from './progress/build-output.js';
export {
  decodeBuildkitStatus,
  type BuildkitStatus,
  type BuildkitVertex,
  type BuildkitVertexLog,
  type BuildkitVertexStatus,
  type BuildkitVertexWarning,
} from './buildkit/buildkit-status.js';

// The reference grammar lives in @berth/engine-protocol (credentials needs it too); re-exported
// here so image users find it next to the models.
export {
  formatReference,
  isValidDigest,
  isValidReference,
  isValidTag,
  parseReference,
  parseRepositoryTag,
  type ImageReference,
  type ReferenceParts,
} from '@berth/engine-protocol';
export * from './platform/index.js';
