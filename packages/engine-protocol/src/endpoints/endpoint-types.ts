import type { BinaryData, OperationTypes } from '../generated/index.js';
import type { EndpointDefinition, ParameterDefinition } from '../request/endpoint.js';
import type { FiltersInput } from '../request/filters.js';
import type { PlatformInput } from '../request/platform.js';
import type { RegistryAuthConfig } from '../request/registry-auth.js';
import type { SpecParameterCorrections, SpecReplyCorrections } from './spec-corrections.js';
import type { UploadBody } from './upload-body.js';

// How an endpoint definition's types come from the spec: the definition says, per parameter,
// how it travels (its kind) and under which name; the generated `OperationTypes` say what the
// spec types that name as, in that location, for the definition's operation id;
// `SpecParameterCorrections` / `SpecReplyCorrections` replace the spec where it is wrong. The
// kind then turns the spec's wire type into what a caller passes (a filter object for the JSON
// text, one value or a list for a repeated key, credentials for a base64 header).

/**
 * Marks a parameter that neither the spec nor {@link SpecParameterCorrections} knows; see
 * {@link ParametersMissingFromSpec}.
 *
 * @example
 * ```ts
 * const marker: SpecParameterType<'ImageList', 'bogus', { kind: 'boolean' }> extends NotInSpec ? true : false = true;
 * ```
 */
export interface NotInSpec {
  /** Never present at run time: a brand. */
  readonly 'not in the Engine API spec': never;
}

/**
 * What the spec says a parameter's value is (its wire type, e.g. the JSON text of `filters`): the
 * generated `OperationTypes` of operation `Id`, in the location the parameter's kind puts it
 * (path, query, a header for credentials, the body), under its wire name; or the correction
 * where {@link SpecParameterCorrections} has one (by the definition's parameter name); else
 * {@link NotInSpec}.
 *
 * @example
 * ```ts
 * const term: SpecParameterType<'ImageSearch', 'term', { kind: 'string' }> = 'busybox'; // a string
 * ```
 */
export type SpecParameterType<Id, Name, Definition extends ParameterDefinition> = (
  Id extends keyof SpecParameterCorrections ? (Name extends keyof SpecParameterCorrections[Id] ? [SpecParameterCorrections[Id][Name]] : []) : []
) extends [infer Corrected]
  ? Corrected
  : Id extends keyof OperationTypes
    ? Definition['kind'] extends 'body-json' | 'body-stream'
      ? [Exclude<OperationTypes[Id]['body'], undefined>] extends [never]
        ? NotInSpec
        : Exclude<OperationTypes[Id]['body'], undefined>
      : NonNullable<
            OperationTypes[Id][Definition['kind'] extends 'path'
              ? 'path'
              : Definition['kind'] extends 'registry-auth' | 'registry-config'
                ? 'headers'
                : 'query']
          > extends infer Group
        ? // Credentials travel in a header; other parameters under their wire name.
          (
            Definition['kind'] extends 'registry-auth'
              ? 'X-Registry-Auth'
              : Definition['kind'] extends 'registry-config'
                ? 'X-Registry-Config'
                : Definition extends { readonly wireName: infer WireName extends string }
                  ? WireName
                  : Name
          ) extends infer Key
          ? Key extends keyof Group
            ? // An optional property's type includes `undefined`; optionality is the definition's call.
              Exclude<Group[Key], undefined>
            : NotInSpec
          : never
        : never
    : NotInSpec;

/**
 * An endpoint's parameters with any {@link UploadBody} as the `body` (a web stream too): what the
 * endpoint functions take; they turn it into a stream the request pipeline sends.
 *
 * @example
 * ```ts
 * const parameters: WithUploadBody<EndpointParameters<typeof imageLoadEndpoint>> = { body: bytes };
 * ```
 */
export type WithUploadBody<Parameters extends object> = 'body' extends keyof Parameters
  ? Omit<Parameters, 'body'> &
      (undefined extends Parameters['body'] ? { readonly body?: UploadBody | undefined } : { readonly body: UploadBody })
  : Parameters;

/**
 * What a caller passes for one parameter of an endpoint: the spec's type (see
 * {@link SpecParameterType}) as the parameter's kind takes it (one value or a list for a repeated
 * key, the value a JSON parameter encodes, a filter object or its JSON text, a platform string or
 * object, credentials for a base64 header). A parameter unknown to the spec gets the kind's own type.
 *
 * @example
 * ```ts
 * const tags: EndpointParameterInput<typeof imageBuildEndpoint, 't'> = ['app:v1', 'app:latest'];
 * ```
 */
export type EndpointParameterInput<Endpoint extends EndpointDefinition, Name extends keyof Endpoint['parameters']> =
  SpecParameterType<Endpoint['id'], Name, Endpoint['parameters'][Name]> extends infer Spec
    ? Endpoint['parameters'][Name]['kind'] extends infer Kind
      ? Kind extends 'filters'
        ? FiltersInput | string
        : Kind extends 'platform' | 'platform-json'
          ? PlatformInput
          : Kind extends 'platform-json-list'
            ? PlatformInput | readonly PlatformInput[]
            : Kind extends 'registry-auth'
              ? RegistryAuthConfig
              : Kind extends 'registry-config'
                ? Readonly<Record<string, RegistryAuthConfig>>
                : Kind extends 'json'
                  ? // The spec types JSON parameters as their text; a correction gives the value.
                    [Spec] extends [string] | [NotInSpec]
                    ? unknown
                    : Spec
                  : // The rest take the spec's type, or the kind's own when the spec lacks the parameter.
                    ([Spec] extends [NotInSpec]
                        ? Kind extends 'integer'
                          ? number
                          : Kind extends 'boolean'
                            ? boolean
                            : Kind extends 'body-json'
                              ? unknown
                              : Kind extends 'body-stream'
                                ? BinaryData
                                : string
                        : Spec) extends infer Value
                    ? Kind extends 'list'
                      ? [Value] extends [readonly (infer Item)[]]
                        ? Item | readonly Item[]
                        : Value | readonly Value[]
                      : Value
                    : never
      : never
    : never;

/**
 * The parameters `client.send(endpoint, …)` takes for an endpoint: names and kinds from the
 * definition, value types from the spec's generated types (see {@link EndpointParameterInput}),
 * required as the definition says (`required`, and no `defaultValue`). Optional parameters also
 * take `undefined` (sent as absent). An endpoint typed only as `EndpointDefinition` takes any
 * object.
 *
 * @example
 * ```ts
 * const parameters: EndpointParameters<typeof imagePullEndpoint> = { fromImage: 'busybox', tag: 'latest', platform: 'linux/arm64' };
 * await client.send(imagePullEndpoint, parameters);
 * ```
 */
export type EndpointParameters<Endpoint extends EndpointDefinition> = string extends keyof Endpoint['parameters']
  ? Readonly<Record<string, unknown>>
  : [keyof Endpoint['parameters']] extends [never]
    ? Readonly<Record<string, never>>
    : ({
          readonly [Name in keyof Endpoint['parameters'] as Endpoint['parameters'][Name] extends { readonly required: true }
            ? 'defaultValue' extends keyof Endpoint['parameters'][Name]
              ? never
              : Name
            : never]: EndpointParameterInput<Endpoint, Name>;
        } & {
          readonly [Name in keyof Endpoint['parameters'] as Endpoint['parameters'][Name] extends { readonly required: true }
            ? 'defaultValue' extends keyof Endpoint['parameters'][Name]
              ? Name
              : never
            : Name]?: EndpointParameterInput<Endpoint, Name> | undefined;
        }) extends infer Both
      ? // One object type rather than the intersection: it reads better in messages.
        { [Key in keyof Both]: Both[Key] }
      : never;

/**
 * The names of an endpoint's parameters that neither the spec (for the endpoint's operation id)
 * nor {@link SpecParameterCorrections} knows; `never` when all are known. `defineEndpoint` refuses
 * a definition of a spec operation with such a parameter.
 *
 * @example
 * ```ts
 * const none: ParametersMissingFromSpec<typeof imageListEndpoint>[] = [];
 * ```
 */
export type ParametersMissingFromSpec<Endpoint extends EndpointDefinition> = Endpoint['id'] extends
  | keyof OperationTypes
  | keyof SpecParameterCorrections
  ? {
      [Name in keyof Endpoint['parameters']]: [SpecParameterType<Endpoint['id'], Name, Endpoint['parameters'][Name]>] extends [NotInSpec]
        ? Name
        : never;
    }[keyof Endpoint['parameters']]
  : never;

/**
 * What `json()` of a successful reply resolves to for an endpoint: the spec's success response of
 * the endpoint's operation id (or {@link SpecReplyCorrections}); `unknown` for an operation the
 * spec does not know.
 *
 * @example
 * ```ts
 * const images: EndpointReply<typeof imageListEndpoint> = await listImages(client);
 * ```
 */
export type EndpointReply<Endpoint extends EndpointDefinition> = Endpoint['id'] extends keyof SpecReplyCorrections
  ? SpecReplyCorrections[Endpoint['id']]
  : Endpoint['id'] extends keyof OperationTypes
    ? OperationTypes[Endpoint['id']]['response']
    : unknown;
