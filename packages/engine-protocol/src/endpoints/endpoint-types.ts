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
 * type Unknown = SpecParameterType<'ImageList', 'bogus', { kind: 'boolean' }>; // NotInSpec
 * ```
 */
export interface NotInSpec {
  /** Never present at run time: a brand. */
  readonly 'not in the Engine API spec': never;
}

type SpecLocation<Kind> = Kind extends 'path'
  ? 'path'
  : Kind extends 'registry-auth' | 'registry-config'
    ? 'headers'
    : Kind extends 'body-json' | 'body-stream'
      ? 'body'
      : 'query';

/** The name the spec gives the parameter: its header for credentials, else its wire name. */
type SpecName<Name, Definition> = Definition extends { readonly kind: 'registry-auth' }
  ? 'X-Registry-Auth'
  : Definition extends { readonly kind: 'registry-config' }
    ? 'X-Registry-Config'
    : Definition extends { readonly wireName: infer WireName extends string }
      ? WireName
      : Name;

type FromGeneratedSpec<Id, Name, Location> = Id extends keyof OperationTypes
  ? Location extends 'body'
    ? [Exclude<OperationTypes[Id]['body'], undefined>] extends [never]
      ? NotInSpec
      : Exclude<OperationTypes[Id]['body'], undefined>
    : Location extends 'path' | 'query' | 'headers'
      ? Name extends keyof NonNullable<OperationTypes[Id][Location]>
        ? // An optional property's type includes `undefined`; optionality is the definition's call.
          Exclude<NonNullable<OperationTypes[Id][Location]>[Name], undefined>
        : NotInSpec
      : NotInSpec
  : NotInSpec;

/**
 * What the spec says a parameter's value is (its wire type, e.g. the JSON text of `filters`), or
 * the correction where {@link SpecParameterCorrections} has one, or {@link NotInSpec}.
 *
 * @example
 * ```ts
 * type Term = SpecParameterType<'ImageSearch', 'term', { kind: 'string' }>; // string
 * ```
 */
export type SpecParameterType<Id, Name, Definition> = Id extends keyof SpecParameterCorrections
  ? Name extends keyof SpecParameterCorrections[Id]
    ? SpecParameterCorrections[Id][Name]
    : FromGeneratedSpec<Id, SpecName<Name, Definition>, SpecLocation<Definition extends { readonly kind: infer Kind } ? Kind : never>>
  : FromGeneratedSpec<Id, SpecName<Name, Definition>, SpecLocation<Definition extends { readonly kind: infer Kind } ? Kind : never>>;

type Known<Type, Fallback> = [Type] extends [NotInSpec] ? Fallback : Type;
type ListItem<Type> = [Type] extends [readonly (infer Item)[]] ? Item : Type;

/**
 * What a caller passes for one parameter: the spec's type (see {@link SpecParameterType}) as the
 * parameter's kind takes it. A parameter unknown to the spec falls back to the kind's own type.
 *
 * @example
 * ```ts
 * type Tags = ParameterInput<{ kind: 'list' }, string>; // string | readonly string[]
 * ```
 */
export type ParameterInput<Definition extends ParameterDefinition, Spec> = Definition['kind'] extends infer Kind
  ? Kind extends 'path' | 'string'
    ? Known<Spec, string>
    : Kind extends 'integer'
      ? Known<Spec, number>
      : Kind extends 'boolean'
        ? Known<Spec, boolean>
        : Kind extends 'list'
          ? ListItem<Known<Spec, string>> | readonly ListItem<Known<Spec, string>>[]
          : Kind extends 'json'
            ? // The spec types JSON parameters as their text; a correction gives the value.
              [Spec] extends [string] | [NotInSpec]
              ? unknown
              : Spec | string
            : Kind extends 'filters'
              ? FiltersInput | string
              : Kind extends 'platform' | 'platform-json'
                ? PlatformInput
                : Kind extends 'platform-json-list'
                  ? PlatformInput | readonly PlatformInput[]
                  : Kind extends 'registry-auth'
                    ? RegistryAuthConfig
                    : Kind extends 'registry-config'
                      ? Readonly<Record<string, RegistryAuthConfig>>
                      : Kind extends 'body-json'
                        ? Known<Spec, unknown>
                        : Kind extends 'body-stream'
                          ? Known<Spec, BinaryData>
                          : never
  : never;

type EndpointParameterInput<Endpoint extends EndpointDefinition, Name extends keyof Endpoint['parameters']> = ParameterInput<
  Endpoint['parameters'][Name],
  SpecParameterType<Endpoint['id'], Name, Endpoint['parameters'][Name]>
>;

/** The two halves (required, optional) as one object type, which reads better in messages. */
type OneObject<Type> = { [Key in keyof Type]: Type[Key] } & {};

/** Required when the definition says so and gives no default for it. */
type IsRequired<Definition> = Definition extends { readonly required: true } ? ('defaultValue' extends keyof Definition ? false : true) : false;

/**
 * The parameters `client.send(endpoint, …)` takes for an endpoint: names and kinds from the
 * definition, value types from the spec's generated types (with {@link SpecParameterCorrections}),
 * required as the definition says. Optional parameters also take `undefined` (sent as absent). An
 * endpoint typed only as `EndpointDefinition` takes any object.
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
    : OneObject<
        {
          readonly [Name in keyof Endpoint['parameters'] as IsRequired<Endpoint['parameters'][Name]> extends true
            ? Name
            : never]: EndpointParameterInput<Endpoint, Name>;
        } & {
          readonly [Name in keyof Endpoint['parameters'] as IsRequired<Endpoint['parameters'][Name]> extends true
            ? never
            : Name]?: EndpointParameterInput<Endpoint, Name> | undefined;
        }
      >;

/**
 * The names of an endpoint's parameters that neither the spec (for the endpoint's operation id)
 * nor {@link SpecParameterCorrections} knows; `never` when all are known. `defineEndpoint` refuses
 * a definition of a spec operation with such a parameter.
 *
 * @example
 * ```ts
 * type None = ParametersMissingFromSpec<typeof imageListEndpoint>; // never
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
