import { defineEndpoint } from '../request/endpoint.js';

// The image-related Engine API endpoints as data. Parameter kinds encode the wire rules the spec
// leaves out (repeated keys, JSON filters, base64url auth headers; see docs/architecture.md);
// `since` values come from the spec's version history
// (checked against the v1.41, v1.45 and v1.56 specs). The parameters' and replies' TYPES are
// not written here: they come from the spec's generated types by operation id (see
// endpoint-types.ts, and spec-corrections.ts where the spec is wrong). A parameter's TSDoc here
// is what callers see on hover.

/**
 * `GET /images/json`.
 *
 * @example
 * ```ts
 * await client.send(imageListEndpoint, { all: true });
 * ```
 */
export const imageListEndpoint = defineEndpoint({
  id: 'ImageList',
  method: 'GET',
  path: '/images/json',
  parameters: {
    /** Include intermediate images. */
    all: { kind: 'boolean' },
    /** Filters: `before`, `dangling`, `label`, `reference`, `since`, `until` (v1.44). */
    filters: { kind: 'filters' },
    /** Compute `SharedSize` (v1.42). */
    'shared-size': { kind: 'boolean', since: '1.42' },
    /** Include digest information. */
    digests: { kind: 'boolean' },
    /** Include `Manifests` (v1.47). */
    manifests: { kind: 'boolean', since: '1.47' },
    /** Include `Identity` (v1.54). */
    identity: { kind: 'boolean', since: '1.54' },
  },
  response: 'json',
  successStatuses: [200],
  jsonShape: { type: 'array', items: { type: 'object', requiredStrings: ['Id'] } },
});

/**
 * `GET /images/{name}/json`.
 *
 * @example
 * ```ts
 * await client.send(imageInspectEndpoint, { name: 'busybox:latest' });
 * ```
 */
export const imageInspectEndpoint = defineEndpoint({
  id: 'ImageInspect',
  method: 'GET',
  path: '/images/{name}/json',
  parameters: {
    /** Image name or id. */
    name: { kind: 'path', required: true },
    /** Include `Manifests` (v1.48). */
    manifests: { kind: 'boolean', since: '1.48' },
    /** Which platform of a multi-platform image (v1.49). */
    platform: { kind: 'platform-json', since: '1.49' },
  },
  response: 'json',
  successStatuses: [200],
  jsonShape: { type: 'object', requiredStrings: ['Id'] },
});

/**
 * `GET /images/{name}/history`.
 *
 * @example
 * ```ts
 * await client.send(imageHistoryEndpoint, { name: 'busybox:latest' });
 * ```
 */
export const imageHistoryEndpoint = defineEndpoint({
  id: 'ImageHistory',
  method: 'GET',
  path: '/images/{name}/history',
  parameters: {
    /** Image name or id. */
    name: { kind: 'path', required: true },
    /** Which platform of a multi-platform image (v1.48). */
    platform: { kind: 'platform-json', since: '1.48' },
  },
  response: 'json',
  successStatuses: [200],
  jsonShape: { type: 'array', items: { type: 'object' } },
});

/**
 * `POST /images/{name}/tag`.
 *
 * @example
 * ```ts
 * await client.send(imageTagEndpoint, { name: 'busybox', repo: 'localhost:5000/busybox', tag: 'v1' });
 * ```
 */
export const imageTagEndpoint = defineEndpoint({
  id: 'ImageTag',
  method: 'POST',
  path: '/images/{name}/tag',
  parameters: {
    /** Image name or id to tag. */
    name: { kind: 'path', required: true },
    /** Repository of the new tag, e.g. `localhost:5000/app`. */
    repo: { kind: 'string', required: true },
    /** The tag; the engine uses `latest` when omitted. */
    tag: { kind: 'string' },
  },
  response: 'empty',
  successStatuses: [201],
});

/**
 * `DELETE /images/{name}`.
 *
 * @example
 * ```ts
 * await client.send(imageDeleteEndpoint, { name: 'old:tag', force: true });
 * ```
 */
export const imageDeleteEndpoint = defineEndpoint({
  id: 'ImageDelete',
  method: 'DELETE',
  path: '/images/{name}',
  parameters: {
    /** Image name or id. */
    name: { kind: 'path', required: true },
    /** Remove even if containers use it or it has several tags. */
    force: { kind: 'boolean' },
    /** Keep untagged parents. */
    noprune: { kind: 'boolean' },
    /** Delete only these platforms' content (v1.50). */
    platforms: { kind: 'platform-json-list', since: '1.50' },
  },
  response: 'json',
  successStatuses: [200],
  jsonShape: { type: 'array', items: { type: 'object' } },
});

/**
 * `GET /images/search`. The engine forwards credentials for the term's registry.
 *
 * @example
 * ```ts
 * await client.send(imageSearchEndpoint, { term: 'localhost:5000/app', limit: 5 });
 * ```
 */
export const imageSearchEndpoint = defineEndpoint({
  id: 'ImageSearch',
  method: 'GET',
  path: '/images/search',
  parameters: {
    /** The term; a registry host in front (`localhost:5000/app`) searches that registry. */
    term: { kind: 'string', required: true },
    /** Maximum number of results. */
    limit: { kind: 'integer' },
    /** Filters: `is-official`, `stars`. */
    filters: { kind: 'filters' },
    /** Credentials for the searched registry. */
    authConfig: { kind: 'registry-auth' },
  },
  response: 'json',
  successStatuses: [200],
  jsonShape: { type: 'array', items: { type: 'object' } },
});

/**
 * `POST /images/prune`.
 *
 * @example
 * ```ts
 * await client.send(imagePruneEndpoint, { filters: { dangling: true } });
 * ```
 */
export const imagePruneEndpoint = defineEndpoint({
  id: 'ImagePrune',
  method: 'POST',
  path: '/images/prune',
  parameters: {
    /** Filters: `dangling` (`false` prunes every unused image), `until`, `label`, `label!`. */
    filters: { kind: 'filters' },
  },
  response: 'json',
  successStatuses: [200],
  jsonShape: { type: 'object' },
});

/**
 * `POST /images/create` with `fromImage`: a pull.
 *
 * @example
 * ```ts
 * const response = await client.send(imagePullEndpoint, { fromImage: 'localhost:5000/app', tag: 'latest' });
 * ```
 */
export const imagePullEndpoint = defineEndpoint({
  id: 'ImageCreate',
  method: 'POST',
  path: '/images/create',
  parameters: {
    /** Repository (may include a tag or digest), e.g. `localhost:5000/app`. */
    fromImage: { kind: 'string', required: true },
    /**
     * Tag or digest. WARNING, a wire rule: without a tag and without a tag/digest in
     * `fromImage`, the engine pulls EVERY tag of the repository. Pass `latest` for the usual.
     */
    tag: { kind: 'string' },
    /** `os[/arch[/variant]]` to pull. */
    platform: { kind: 'platform' },
    /** Credentials for the image's registry. */
    authConfig: { kind: 'registry-auth' },
  },
  response: 'json-stream',
  successStatuses: [200],
});

/**
 * `POST /images/create` with `fromSrc`: an import of a root filesystem tarball.
 *
 * @example
 * ```ts
 * await client.send(imageImportEndpoint, { fromSrc: '-', repo: 'rootfs', body: createReadStream('rootfs.tar') });
 * ```
 */
export const imageImportEndpoint = defineEndpoint({
  id: 'ImageCreate',
  method: 'POST',
  path: '/images/create',
  parameters: {
    /** `-` to upload the root filesystem tarball as the body, or a URL the engine fetches. */
    fromSrc: { kind: 'string', required: true },
    /** Repository name for the new image. */
    repo: { kind: 'string' },
    /** Tag for the new image. */
    tag: { kind: 'string' },
    /** Commit message. */
    message: { kind: 'string' },
    /** Dockerfile instructions applied to the image (`CMD ["sh"]`, `ENV A=b`, …). */
    changes: { kind: 'list' },
    /** `os[/arch[/variant]]` of the imported image. */
    platform: { kind: 'platform' },
    /** The tarball (plain or compressed), streamed, when `fromSrc` is `-`. */
    body: { kind: 'body-stream' },
  },
  bodyContentType: 'application/x-tar',
  response: 'json-stream',
  successStatuses: [200],
});

/**
 * `POST /images/{name}/push`.
 *
 * @example
 * ```ts
 * await client.send(imagePushEndpoint, { name: 'localhost:5000/app', tag: 'v1' });
 * ```
 */
export const imagePushEndpoint = defineEndpoint({
  id: 'ImagePush',
  method: 'POST',
  path: '/images/{name}/push',
  parameters: {
    /** Repository to push, e.g. `localhost:5000/app`. */
    name: { kind: 'path', required: true },
    /** Tag to push; all tags of the repository when omitted. */
    tag: { kind: 'string' },
    /** Push only this platform's manifest (v1.46). */
    platform: { kind: 'platform-json', since: '1.46' },
    // The daemon wants the header on every push, even anonymous ones: `{}` encoded.
    /** Credentials for the registry; anonymous when omitted. */
    authConfig: { kind: 'registry-auth', defaultValue: {} },
    // …and a body; an empty JSON object is what the CLI sends.
    body: { kind: 'body-json', defaultValue: {} },
  },
  response: 'json-stream',
  successStatuses: [200],
});

/**
 * `GET /images/{name}/get`: one image (or repository) as a tar stream.
 *
 * @example
 * ```ts
 * const response = await client.send(imageGetEndpoint, { name: 'app:v1' });
 * ```
 */
export const imageGetEndpoint = defineEndpoint({
  id: 'ImageGet',
  method: 'GET',
  path: '/images/{name}/get',
  parameters: {
    /** Image name or id. */
    name: { kind: 'path', required: true },
    /** Save only these platforms (v1.48; more than one from v1.52). */
    platform: { kind: 'platform-json-list', since: '1.48', repeatableSince: '1.52' },
  },
  response: 'byte-stream',
  successStatuses: [200],
});

/**
 * `GET /images/get?names=…`: several images in one tar stream.
 *
 * @example
 * ```ts
 * const response = await client.send(imageGetAllEndpoint, { names: ['app:v1', 'app:v2'] });
 * ```
 */
export const imageGetAllEndpoint = defineEndpoint({
  id: 'ImageGetAll',
  method: 'GET',
  path: '/images/get',
  parameters: {
    /** The images to save, by name or id. */
    names: { kind: 'list', required: true },
    /** Save only these platforms (v1.48; more than one from v1.52). */
    platform: { kind: 'platform-json-list', since: '1.48', repeatableSince: '1.52' },
  },
  response: 'byte-stream',
  successStatuses: [200],
});

/**
 * `POST /images/load`.
 *
 * @example
 * ```ts
 * await client.send(imageLoadEndpoint, { body: createReadStream('app.tar') });
 * ```
 */
export const imageLoadEndpoint = defineEndpoint({
  id: 'ImageLoad',
  method: 'POST',
  path: '/images/load',
  parameters: {
    // The daemon's default is quiet=TRUE when omitted (the spec says false): always send it.
    /** Suppress progress details. Sent explicitly: the daemon's own default is `true`. */
    quiet: { kind: 'boolean', defaultValue: false },
    /** Load only these platforms (v1.48; more than one from v1.52). */
    platform: { kind: 'platform-json-list', since: '1.48', repeatableSince: '1.52' },
    /** The archive (as made by save; gzip, bzip2, xz and zstd are accepted), streamed. */
    body: { kind: 'body-stream', required: true },
  },
  bodyContentType: 'application/x-tar',
  response: 'json-stream',
  successStatuses: [200],
});

/**
 * `GET /distribution/{name}/json`.
 *
 * @example
 * ```ts
 * await client.send(distributionInspectEndpoint, { name: 'localhost:5000/app:v1' });
 * ```
 */
export const distributionInspectEndpoint = defineEndpoint({
  id: 'DistributionInspect',
  method: 'GET',
  path: '/distribution/{name}/json',
  parameters: {
    /** Image reference, e.g. `localhost:5000/app:v1`. */
    name: { kind: 'path', required: true },
    /** Credentials for the image's registry. */
    authConfig: { kind: 'registry-auth' },
  },
  response: 'json',
  successStatuses: [200],
  jsonShape: { type: 'object' },
});

/**
 * `POST /build`.
 *
 * @example
 * ```ts
 * await client.send(imageBuildEndpoint, { body: bytes, t: ['app:v1'], networkmode: 'none' });
 * ```
 */
export const imageBuildEndpoint = defineEndpoint({
  id: 'ImageBuild',
  method: 'POST',
  path: '/build',
  parameters: {
    /** Path of the Dockerfile inside the context. */
    dockerfile: { kind: 'string' },
    /** Names (`repo:tag`) for the image; several allowed. */
    t: { kind: 'list' },
    /** Extra `/etc/hosts` entries, `host:ip`. */
    extrahosts: { kind: 'list' },
    /**
     * A Git URL or a URL of a tarball/Dockerfile the engine fetches as the context; BuildKit:
     * `client-session` to take the context from the build session (no body).
     */
    remote: { kind: 'string' },
    /** Suppress verbose output. */
    q: { kind: 'boolean' },
    /** Do not use the cache. */
    nocache: { kind: 'boolean' },
    /** Images used as cache sources. */
    cachefrom: { kind: 'json' },
    /** Pull newer base images (`"1"`, or a platform-specific value). */
    pull: { kind: 'string' },
    /** Remove intermediate containers after a successful build (engine default: true). */
    rm: { kind: 'boolean' },
    /** Always remove intermediate containers. */
    forcerm: { kind: 'boolean' },
    /** Memory limit in bytes for RUN steps. */
    memory: { kind: 'integer' },
    /** Memory plus swap in bytes; -1 for unlimited swap. */
    memswap: { kind: 'integer' },
    /** Relative CPU weight. */
    cpushares: { kind: 'integer' },
    /** CPUs to use, e.g. `0-3`. */
    cpusetcpus: { kind: 'string' },
    /** CPU CFS period in microseconds. */
    cpuperiod: { kind: 'integer' },
    /** CPU CFS quota in microseconds. */
    cpuquota: { kind: 'integer' },
    /** Build-time variables. */
    buildargs: { kind: 'json' },
    /** `/dev/shm` size in bytes. */
    shmsize: { kind: 'integer' },
    /** Squash the new layers into one (experimental engines). */
    squash: { kind: 'boolean' },
    /** Labels for the image. */
    labels: { kind: 'json' },
    /** Network mode of RUN steps (`none`, `host`, `bridge`, a network name). */
    networkmode: { kind: 'string' },
    /** `os[/arch[/variant]]` to build for. */
    platform: { kind: 'platform' },
    /** Build stage to stop at. */
    target: { kind: 'string' },
    /** BuildKit output configuration. */
    outputs: { kind: 'string' },
    /** Builder: `1` classic, `2` BuildKit. */
    version: { kind: 'string' },
    // Not in the spec, read by the daemon (see SpecParameterCorrections).
    /** Windows isolation technology. */
    isolation: { kind: 'string' },
    /** Ulimits for RUN steps. */
    ulimits: { kind: 'json' },
    /** An id of your choice, so that `cancelBuild` can stop the build. */
    buildid: { kind: 'string' },
    /**
     * BuildKit: the id of a build session (`POST /session`, see `@berth/buildkit`) that serves
     * credentials, secrets, SSH agents, outputs and, with `remote: 'client-session'`, the context.
     */
    session: { kind: 'string' },
    /** Credentials for every registry the build may pull from (`X-Registry-Config`). */
    registryConfig: { kind: 'registry-config' },
    /** The build context as a tar (optionally gzip), streamed. Omit with `remote`. */
    body: { kind: 'body-stream' },
  },
  bodyContentType: 'application/x-tar',
  response: 'json-stream',
  successStatuses: [200],
});

/**
 * `POST /build/prune`.
 *
 * @example
 * ```ts
 * await client.send(buildPruneEndpoint, { all: true });
 * ```
 */
export const buildPruneEndpoint = defineEndpoint({
  id: 'BuildPrune',
  method: 'POST',
  path: '/build/prune',
  parameters: {
    // Renamed `reserved-space` in v1.48; engines before that only know this name.
    /** Bytes of cache to keep (before v1.48; renamed `reserved-space`). */
    'keep-storage': { kind: 'integer' },
    /** Bytes of cache to keep (v1.48). */
    'reserved-space': { kind: 'integer', since: '1.48' },
    /** Maximum bytes of cache to keep (v1.48). */
    'max-used-space': { kind: 'integer', since: '1.48' },
    /** Target free disk space in bytes (v1.48). */
    'min-free-space': { kind: 'integer', since: '1.48' },
    /** Remove all cache, not only dangling cache. */
    all: { kind: 'boolean' },
    /** Filters: `until`, `id`, `parent`, `type`, `description`, `inuse`, `shared`, `private`. */
    filters: { kind: 'filters' },
  },
  response: 'json',
  successStatuses: [200],
  jsonShape: { type: 'object' },
});

/**
 * `POST /build/cancel?id=`: undocumented, cancels a build started with `buildid`.
 *
 * @example
 * ```ts
 * await client.send(buildCancelEndpoint, { id: 'my-build' });
 * ```
 */
export const buildCancelEndpoint = defineEndpoint({
  id: 'BuildCancel',
  method: 'POST',
  path: '/build/cancel',
  parameters: {
    /** The `buildid` the build was started with. */
    id: { kind: 'string', required: true },
  },
  response: 'empty',
  successStatuses: [200],
});

/**
 * `POST /auth`: checks credentials against a registry.
 *
 * @example
 * ```ts
 * await client.send(systemAuthEndpoint, { authConfig: { username: 'me', password, serveraddress: 'localhost:5000' } });
 * ```
 */
export const systemAuthEndpoint = defineEndpoint({
  id: 'SystemAuth',
  method: 'POST',
  path: '/auth',
  parameters: {
    /** The credentials to check. */
    authConfig: { kind: 'body-json', required: true },
  },
  response: 'json',
  // 204 (no body) is documented too; a 200 must say what happened.
  successStatuses: [200, 204],
  jsonShape: { type: 'object', requiredStrings: ['Status'] },
  // The reply holds an IdentityToken: a cut or garbled one must not reach an error's excerpt.
  replyHoldsSecrets: true,
});

/**
 * `GET /version`.
 *
 * @example
 * ```ts
 * const version = await (await client.send(systemVersionEndpoint, {})).json();
 * ```
 */
export const systemVersionEndpoint = defineEndpoint({
  id: 'SystemVersion',
  method: 'GET',
  path: '/version',
  parameters: {},
  response: 'json',
  successStatuses: [200],
  jsonShape: { type: 'object' },
});
