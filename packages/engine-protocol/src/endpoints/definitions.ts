import { defineEndpoint } from '../request/endpoint.js';

// The image-related Engine API endpoints as data. Parameter kinds encode the wire rules of
// ../../../../shared/reference/facts.md; `since` values come from the spec's version history
// (checked against the v1.41, v1.45 and v1.56 specs).

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
    all: { kind: 'boolean' },
    filters: { kind: 'filters' },
    'shared-size': { kind: 'boolean', since: '1.42' },
    digests: { kind: 'boolean' },
    manifests: { kind: 'boolean', since: '1.47' },
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
    name: { kind: 'path', required: true },
    manifests: { kind: 'boolean', since: '1.48' },
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
    name: { kind: 'path', required: true },
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
    name: { kind: 'path', required: true },
    repo: { kind: 'string', required: true },
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
    name: { kind: 'path', required: true },
    force: { kind: 'boolean' },
    noprune: { kind: 'boolean' },
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
    term: { kind: 'string', required: true },
    limit: { kind: 'integer' },
    filters: { kind: 'filters' },
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
    fromImage: { kind: 'string', required: true },
    tag: { kind: 'string' },
    platform: { kind: 'platform' },
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
    fromSrc: { kind: 'string', required: true },
    repo: { kind: 'string' },
    tag: { kind: 'string' },
    message: { kind: 'string' },
    changes: { kind: 'list' },
    platform: { kind: 'platform' },
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
    name: { kind: 'path', required: true },
    tag: { kind: 'string' },
    platform: { kind: 'platform-json', since: '1.46' },
    // The daemon wants the header on every push, even anonymous ones: `{}` encoded.
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
    name: { kind: 'path', required: true },
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
    names: { kind: 'list', required: true },
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
    quiet: { kind: 'boolean', defaultValue: false },
    platform: { kind: 'platform-json-list', since: '1.48', repeatableSince: '1.52' },
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
    name: { kind: 'path', required: true },
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
    dockerfile: { kind: 'string' },
    t: { kind: 'list' },
    extrahosts: { kind: 'list' },
    remote: { kind: 'string' },
    q: { kind: 'boolean' },
    nocache: { kind: 'boolean' },
    cachefrom: { kind: 'json' },
    pull: { kind: 'string' },
    rm: { kind: 'boolean' },
    forcerm: { kind: 'boolean' },
    memory: { kind: 'integer' },
    memswap: { kind: 'integer' },
    cpushares: { kind: 'integer' },
    cpusetcpus: { kind: 'string' },
    cpuperiod: { kind: 'integer' },
    cpuquota: { kind: 'integer' },
    buildargs: { kind: 'json' },
    shmsize: { kind: 'integer' },
    squash: { kind: 'boolean' },
    labels: { kind: 'json' },
    networkmode: { kind: 'string' },
    platform: { kind: 'platform' },
    target: { kind: 'string' },
    outputs: { kind: 'string' },
    version: { kind: 'string' },
    // Not in the spec, read by the daemon: Windows isolation, ulimits, and the id that
    // `POST /build/cancel` refers to.
    isolation: { kind: 'string' },
    ulimits: { kind: 'json' },
    buildid: { kind: 'string' },
    // BuildKit: the session (`POST /session`) that serves credentials, secrets, SSH agents,
    // local directories (`remote=client-session`) and outputs.
    session: { kind: 'string' },
    registryConfig: { kind: 'registry-config' },
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
    'keep-storage': { kind: 'integer' },
    'reserved-space': { kind: 'integer', since: '1.48' },
    'max-used-space': { kind: 'integer', since: '1.48' },
    'min-free-space': { kind: 'integer', since: '1.48' },
    all: { kind: 'boolean' },
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
    authConfig: { kind: 'body-json', required: true },
  },
  response: 'json',
  // 204 (no body) is documented too; a 200 must say what happened.
  successStatuses: [200, 204],
  jsonShape: { type: 'object', requiredStrings: ['Status'] },
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
