import type { ParametersMissingFromSpec } from '../endpoints/endpoint-types.js';

/**
 * How a parameter travels on the wire:
 * - `path`: substituted into `{name}` in the path, URL-encoded;
 * - `string` / `integer` / `boolean`: one query key (`1`/`0` for booleans, safe on every engine);
 * - `list`: REPEATED query key (`t=a&t=b`), never comma-joined;
 * - `json`: one query key holding JSON (build args, labels, cache-from);
 * - `filters`: the JSON filter map;
 * - `platform`: an `os[/arch[/variant]]` string (pull, import, build);
 * - `platform-json` / `platform-json-list`: JSON OCI platform, once or repeated;
 * - `registry-auth` / `registry-config`: the `X-Registry-Auth` / `X-Registry-Config` headers;
 * - `body-json` / `body-stream`: the request body.
 */
export type ParameterKind =
  | 'path'
  | 'string'
  | 'integer'
  | 'boolean'
  | 'list'
  | 'json'
  | 'filters'
  | 'platform'
  | 'platform-json'
  | 'platform-json-list'
  | 'registry-auth'
  | 'registry-config'
  | 'body-json'
  | 'body-stream';

/**
 * One parameter of an endpoint.
 *
 * @example
 * ```ts
 * const platform: ParameterDefinition = { kind: 'platform-json', since: '1.46' };
 * ```
 */
export interface ParameterDefinition {
  /** How it is encoded. */
  readonly kind: ParameterKind;
  /** Name on the wire when it differs from the parameter's name. */
  readonly wireName?: string;
  /** The first API version that has it; older versions refuse it client-side. */
  readonly since?: string;
  /** For list kinds: the first API version that takes more than one value. */
  readonly repeatableSince?: string;
  /** Refused when missing. */
  readonly required?: boolean;
  /** A value sent when the caller gives none (for wire defaults that differ from the spec). */
  readonly defaultValue?: unknown;
}

/**
 * What an endpoint's reply is; `upgrade`: the connection switches protocols (`101`), see
 * `EngineClient.upgrade`.
 */
export type ResponseKind = 'json' | 'empty' | 'text' | 'json-stream' | 'byte-stream' | 'upgrade';

/**
 * The top-level shape a JSON reply must have, checked before the reply reaches the caller (a
 * wrong shape is an `UnexpectedReplyError` naming the endpoint).
 *
 * @example
 * ```ts
 * const imageList: JsonShape = { type: 'array', items: { type: 'object', requiredStrings: ['Id'] } };
 * ```
 */
export interface JsonShape {
  /** `object` (not `null`, not an array) or `array`. */
  readonly type: 'object' | 'array';
  /** Keys an object must have, each with a string value (what the library relies on, e.g. `Id`). */
  readonly requiredStrings?: readonly string[];
  /** For arrays: the shape of every element. */
  readonly items?: JsonShape;
}

/**
 * An Engine API endpoint as data: method, path template, parameters with their encodings and
 * the versions that introduced them.
 *
 * @example
 * ```ts
 * const containerList: EndpointDefinition = {
 *   id: 'ContainerList', method: 'GET', path: '/containers/json',
 *   parameters: { all: { kind: 'boolean' }, filters: { kind: 'filters' } }, response: 'json',
 * };
 * const containers = await (await client.send(containerList, { all: true })).json();
 * ```
 */
export interface EndpointDefinition {
  /** The spec's operation id (`ImageList`, `ImageCreate`, …). */
  readonly id: string;
  /** HTTP method. */
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  /** Path template without version prefix, e.g. `/images/{name}/json`. */
  readonly path: string;
  /** `false` for the few unversioned endpoints (`/_ping`). */
  readonly versioned?: boolean;
  /** The first API version that has the endpoint. */
  readonly since?: string;
  /** Parameters by name. */
  readonly parameters: Readonly<Record<string, ParameterDefinition>>;
  /** Content type of a streamed body. */
  readonly bodyContentType?: string;
  /** What the reply is. */
  readonly response: ResponseKind;
  /**
   * The statuses the endpoint documents as success (e.g. `[201]` for a tag). Any other status,
   * a redirect included, is an `EngineError`. Default: any 2xx status.
   */
  readonly successStatuses?: readonly number[];
  /** For `json` replies: the shape the body must have. Default: any JSON value. */
  readonly jsonShape?: JsonShape;
  /**
   * `true` when the reply may carry credentials (`POST /auth` answers an `IdentityToken`): no
   * part of its body ever goes into an error, not even of a body that does not parse.
   */
  readonly replyHoldsSecrets?: boolean;
}

/**
 * Declares an endpoint; a typed identity function so that definitions keep literal types, from
 * which `client.send` types the endpoint's parameters and reply (see `EndpointParameters` and
 * `EndpointReply`). When `id` is an operation of the Engine API spec, every parameter must be one
 * the spec (or `SpecParameterCorrections`) knows: an unknown name is a compile error here.
 *
 * @example
 * ```ts
 * const ping = defineEndpoint({ id: 'SystemPing', method: 'GET', path: '/_ping', versioned: false, parameters: {}, response: 'text' });
 * ```
 */
export function defineEndpoint<const Definition extends EndpointDefinition>(
  definition: Definition &
    NoInfer<
      [ParametersMissingFromSpec<Definition>] extends [never]
        ? unknown
        : { readonly 'parameters the Engine API spec does not know (add them to SpecParameterCorrections)': ParametersMissingFromSpec<Definition> }
    >,
): Definition {
  return definition;
}
