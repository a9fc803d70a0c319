// Type-level tests of the endpoint layer, checked by `pnpm type-check` (tsc -p test/types):
// every `@ts-expect-error` below must be an error, or the check fails. Nothing here runs.
import { expectTypeOf } from 'vitest';
import {
  buildCancelEndpoint,
  defineEndpoint,
  imageBuildEndpoint,
  imageDeleteEndpoint,
  imageGetAllEndpoint,
  imageImportEndpoint,
  imageInspectEndpoint,
  imageListEndpoint,
  imageLoadEndpoint,
  imagePullEndpoint,
  imagePushEndpoint,
  imageSearchEndpoint,
  imageTagEndpoint,
  pingEndpoint,
  systemAuthEndpoint,
  systemVersionEndpoint,
  type BuildImageParameters,
  type EndpointDefinition,
  type EndpointParameters,
  type EndpointReply,
  type EngineClient,
  type EngineResponse,
  type ImageDeleteResponseItem,
  type ImageInspect,
  type ImageSummary,
  type LoadImagesParameters,
  type OperationTypes,
  type ParametersMissingFromSpec,
  type PullImageParameters,
  type PushImageParameters,
  type RegistryAuthConfig,
  type SaveImagesParameters,
  type SystemVersion,
} from '../../src/index.js';

declare const client: EngineClient;
declare const bytes: Uint8Array;

export async function parametersComeFromTheSpec(): Promise<void> {
  await client.send(imageListEndpoint, { all: true, filters: { dangling: true }, 'shared-size': true });
  // @ts-expect-error a parameter name the endpoint does not have
  await client.send(imageListEndpoint, { alll: true });
  // @ts-expect-error a boolean parameter given a string
  await client.send(imageListEndpoint, { all: 'yes' });
  // @ts-expect-error a path parameter given a number
  await client.send(imageInspectEndpoint, { name: 42 });
  // @ts-expect-error a required parameter (the repository of a tag) left out
  await client.send(imageTagEndpoint, { name: 'app:v1' });
  // @ts-expect-error an integer parameter given a string
  await client.send(imageSearchEndpoint, { term: 'app', limit: '5' });
  // @ts-expect-error credentials with a field the daemon does not read
  await client.send(imagePullEndpoint, { fromImage: 'app', authConfig: { user: 'me' } });
  // @ts-expect-error an endpoint without parameters given one
  await client.send(systemVersionEndpoint, { verbose: true });
  await client.send(systemVersionEndpoint, {});
  // Optional parameters take `undefined` (sent as absent).
  await client.send(imagePullEndpoint, { fromImage: 'app', tag: undefined });

  // The value types are the generated spec types: the build's `version` is the spec's enum.
  expectTypeOf<EndpointParameters<typeof imageBuildEndpoint>['version']>().toEqualTypeOf<
    OperationTypes['ImageBuild']['query']['version']
  >();
  // @ts-expect-error not a builder version the spec lists
  await client.send(imageBuildEndpoint, { version: '3' });
  expectTypeOf<EndpointParameters<typeof imageSearchEndpoint>['term']>().toEqualTypeOf<OperationTypes['ImageSearch']['query']['term']>();
}

export async function kindsAndCorrectionsShapeTheInput(): Promise<void> {
  // Repeated query keys take one value or several, though the spec types `t` as one string.
  await client.send(imageBuildEndpoint, { t: 'app:v1' });
  await client.send(imageBuildEndpoint, { t: ['app:v1', 'app:latest'] });
  // JSON parameters take the value the spec only describes as JSON text (SpecParameterCorrections).
  await client.send(imageBuildEndpoint, { buildargs: { VERSION: '1' }, labels: { a: 'b' }, cachefrom: ['app:v0'] });
  // @ts-expect-error build arguments are strings
  await client.send(imageBuildEndpoint, { buildargs: { VERSION: 1 } });
  // Parameters the daemon reads and the spec lacks, from the corrections.
  await client.send(imageBuildEndpoint, { buildid: 'b1', ulimits: [{ Name: 'nofile', Soft: 1, Hard: 2 }] });
  await client.send(buildCancelEndpoint, { id: 'b1' });
  // @ts-expect-error the correction says `id` is a string
  await client.send(buildCancelEndpoint, { id: 1 });
  // The spec requires X-Registry-Auth on a push; the definition sends `{}` by default.
  await client.send(imagePushEndpoint, { name: 'localhost:5000/app' });
  // The spec types the import body as a string; it is the tarball's bytes.
  await client.send(imageImportEndpoint, { fromSrc: '-', body: bytes });
  // @ts-expect-error not bytes
  await client.send(imageImportEndpoint, { fromSrc: '-', body: 'rootfs.tar' });
  // Platforms, filters and credentials take structured values the pipeline encodes.
  await client.send(imageDeleteEndpoint, { name: 'app', platforms: [{ os: 'linux', architecture: 'arm64' }] });
  await client.send(systemAuthEndpoint, { authConfig: { username: 'me', identitytoken: 't' } });
  expectTypeOf<EndpointParameters<typeof systemAuthEndpoint>['authConfig']>().toEqualTypeOf<RegistryAuthConfig>();
}

export async function repliesComeFromTheSpec(): Promise<void> {
  const list = await client.send(imageListEndpoint, {});
  expectTypeOf(list).toEqualTypeOf<EngineResponse<ImageSummary[]>>();
  expectTypeOf(await list.json()).toEqualTypeOf<ImageSummary[]>();
  // @ts-expect-error the list is an array of summaries, not one image
  const wrong: ImageInspect = await list.json();
  // @ts-expect-error json() takes no type argument: the endpoint decides
  await list.json<ImageInspect>();
  // @ts-expect-error a summary has no such field
  (await list.json())[0]?.Identifier;

  expectTypeOf(await (await client.send(imageInspectEndpoint, { name: 'app' })).json()).toEqualTypeOf<ImageInspect>();
  expectTypeOf(await (await client.send(imageDeleteEndpoint, { name: 'app' })).json()).toEqualTypeOf<ImageDeleteResponseItem[]>();
  expectTypeOf(await (await client.send(systemVersionEndpoint, {})).json()).toEqualTypeOf<SystemVersion>();
  expectTypeOf<EndpointReply<typeof pingEndpoint>>().toEqualTypeOf<string>();
  // SpecReplyCorrections: a push streams progress, the spec says no body.
  expectTypeOf<EndpointReply<typeof imagePushEndpoint>>().toEqualTypeOf<unknown>();
  expectTypeOf<EndpointReply<typeof buildCancelEndpoint>>().toEqualTypeOf<undefined>();
  void wrong;
}

export async function definitionsAreCheckedAgainstTheSpec(): Promise<void> {
  const containerList = defineEndpoint({
    id: 'ContainerList',
    method: 'GET',
    path: '/containers/json',
    parameters: { all: { kind: 'boolean' }, limit: { kind: 'integer' } },
    response: 'json',
  });
  // An endpoint of any spec operation is typed from the spec without more code.
  expectTypeOf(await (await client.send(containerList, { all: true })).json()).toEqualTypeOf<OperationTypes['ContainerList']['response']>();
  expectTypeOf<ParametersMissingFromSpec<typeof imageBuildEndpoint>>().toBeNever();
  expectTypeOf<ParametersMissingFromSpec<typeof containerList>>().toBeNever();

  // @ts-expect-error `every` is not a parameter of ContainerList in the spec
  defineEndpoint({
    id: 'ContainerList',
    method: 'GET',
    path: '/containers/json',
    parameters: { every: { kind: 'boolean' } },
    response: 'json',
  });
  // An operation the spec does not know: types from the parameter kinds, reply unknown.
  const custom = defineEndpoint({ id: 'PluginThing', method: 'GET', path: '/thing', parameters: { n: { kind: 'integer' } }, response: 'json' });
  expectTypeOf<EndpointParameters<typeof custom>>().toEqualTypeOf<{ readonly n?: number | undefined }>();
  expectTypeOf(await (await client.send(custom, { n: 1 })).json()).toEqualTypeOf<unknown>();
  // An endpoint typed only as EndpointDefinition takes any object and replies unknown.
  const loose: EndpointDefinition = containerList;
  expectTypeOf(await (await client.send(loose, { anything: 1 })).json()).toEqualTypeOf<unknown>();
}

export function endpointFunctionParametersAreTheEndpointsParameters(): void {
  expectTypeOf<PullImageParameters>().toEqualTypeOf<EndpointParameters<typeof imagePullEndpoint>>();
  expectTypeOf<SaveImagesParameters>().toEqualTypeOf<EndpointParameters<typeof imageGetAllEndpoint>>();
  expectTypeOf<PushImageParameters>().not.toHaveProperty('body');
  expectTypeOf<LoadImagesParameters['body']>().toMatchTypeOf<EndpointParameters<typeof imageLoadEndpoint>['body']>();
  // @ts-expect-error the build's body is optional, its tags are strings
  const build: BuildImageParameters = { t: [1] };
  void build;
}
