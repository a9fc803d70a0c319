import { describeValue } from '../errors/describe-value.js';
import { InvalidArgumentError, UnsupportedOptionError } from '../errors/index.js';
import { isApiVersionAtLeast } from '../version/api-version.js';
import type { EndpointDefinition } from './endpoint.js';
import { encodeFilters, type FiltersInput } from './filters.js';
import { checkPathParameter } from './path-parameter.js';
import { formatPlatformJson, formatPlatformString, type PlatformInput } from './platform.js';
import { encodeRegistryAuth, encodeRegistryConfig, type RegistryAuthConfig } from './registry-auth.js';
import { stringifyParameter } from './stringify-parameter.js';

/**
 * A request ready to send: everything but the transport.
 *
 * @example
 * ```ts
 * const request: PreparedRequest = buildRequest(imageListEndpoint, { all: true }, { apiVersion: '1.45' });
 * console.log(request.method, request.path); // GET /v1.45/images/json?all=1
 * ```
 */
export interface PreparedRequest {
  /** HTTP method. */
  readonly method: EndpointDefinition['method'];
  /** Versioned path with query string, e.g. `/v1.45/images/json?all=1`. */
  readonly path: string;
  /** Request headers. */
  readonly headers: Record<string, string>;
  /** The body: a JSON string, or a stream/bytes to upload as is. */
  readonly body: string | unknown;
  /** The endpoint it was built for. */
  readonly endpoint: EndpointDefinition;
}

/** Options of {@link buildRequest}. */
export interface BuildRequestOptions {
  /** The API version to address (negotiated or pinned). */
  readonly apiVersion: string;
}

/**
 * Turns an endpoint and its parameters into a request, applying the engine's wire rules:
 * repeated keys for lists, JSON filters, both platform encodings, padded base64url registry
 * headers, URL-encoded path parameters. Pure: no I/O. Refuses unknown parameters, missing
 * required ones, values of the wrong type (circular or BigInt JSON included), path parameters
 * with `.`, `..` or empty segments (the engine would redirect them elsewhere), and parameters
 * that the API version lacks, before anything is sent.
 *
 * @example
 * ```ts
 * buildRequest(imageListEndpoint, { all: true, filters: { dangling: true } }, { apiVersion: '1.45' });
 * // { method: 'GET', path: '/v1.45/images/json?all=1&filters=%7B…', headers: {}, body: undefined }
 * ```
 */
export function buildRequest(
  endpoint: EndpointDefinition,
  parameterObject: object,
  options: BuildRequestOptions,
): PreparedRequest {
  const { apiVersion } = options;
  if (typeof parameterObject !== 'object' || parameterObject === null || Array.isArray(parameterObject)) {
    throw new InvalidArgumentError(`The parameters of ${endpoint.id} must be an object, got ${describeValue(parameterObject)}.`, {
      argument: 'parameters',
    });
  }
  const parameters = parameterObject as Readonly<Record<string, unknown>>;
  if (endpoint.since !== undefined && !isApiVersionAtLeast(apiVersion, endpoint.since)) {
    throw new UnsupportedOptionError({ option: endpoint.id, requiredVersion: endpoint.since, apiVersion, endpoint: endpoint.id });
  }
  for (const name of Object.keys(parameters)) {
    if (!(name in endpoint.parameters) && parameters[name] !== undefined) {
      throw new InvalidArgumentError(`Unknown parameter "${name}" for ${endpoint.id}.`, {
        argument: name,
        details: `Known parameters: ${Object.keys(endpoint.parameters).join(', ') || 'none'}.`,
      });
    }
  }

  let path = endpoint.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  let body: unknown;

  for (const [name, definition] of Object.entries(endpoint.parameters)) {
    const value = parameters[name] ?? definition.defaultValue;
    if (value === undefined || value === null) {
      if (definition.required) {
        throw new InvalidArgumentError(`Missing required parameter "${name}" for ${endpoint.id}.`, { argument: name });
      }
      continue;
    }
    if (definition.since !== undefined && !isApiVersionAtLeast(apiVersion, definition.since)) {
      throw new UnsupportedOptionError({ option: name, requiredVersion: definition.since, apiVersion, endpoint: endpoint.id });
    }
    if (
      definition.repeatableSince !== undefined &&
      Array.isArray(value) &&
      value.length > 1 &&
      !isApiVersionAtLeast(apiVersion, definition.repeatableSince)
    ) {
      throw new UnsupportedOptionError({
        option: `${name} (more than one value)`,
        requiredVersion: definition.repeatableSince,
        apiVersion,
        endpoint: endpoint.id,
      });
    }
    const wireName = definition.wireName ?? name;
    switch (definition.kind) {
      case 'path': {
        const text = requireString(endpoint, name, value);
        checkPathParameter(endpoint.id, name, text);
        path = path.replace(`{${wireName}}`, encodeURIComponent(text));
        break;
      }
      case 'string':
        query.append(wireName, requireString(endpoint, name, value));
        break;
      case 'integer':
        query.append(wireName, String(requireInteger(endpoint, name, value)));
        break;
      case 'boolean':
        query.append(wireName, requireBoolean(endpoint, name, value) ? '1' : '0');
        break;
      case 'list':
        for (const item of asList(value)) query.append(wireName, requireString(endpoint, name, item));
        break;
      case 'json':
        query.append(wireName, typeof value === 'string' ? value : stringifyParameter(endpoint.id, name, value));
        break;
      case 'filters':
        query.append(wireName, typeof value === 'string' ? value : encodeFilters(value as FiltersInput, name));
        break;
      case 'platform':
        query.append(wireName, formatPlatformString(value as PlatformInput, name));
        break;
      case 'platform-json':
        query.append(wireName, formatPlatformJson(value as PlatformInput, name));
        break;
      case 'platform-json-list':
        for (const item of asList(value)) query.append(wireName, formatPlatformJson(item as PlatformInput, name));
        break;
      case 'registry-auth':
        headers['X-Registry-Auth'] = encodeRegistryAuth(value as RegistryAuthConfig, name);
        break;
      case 'registry-config':
        headers['X-Registry-Config'] = encodeRegistryConfig(value as Record<string, RegistryAuthConfig>, name);
        break;
      case 'body-json':
        body = stringifyParameter(endpoint.id, name, value);
        headers['Content-Type'] = 'application/json';
        break;
      case 'body-stream':
        body = value;
        headers['Content-Type'] = endpoint.bodyContentType ?? 'application/octet-stream';
        break;
    }
  }
  if (/\{[^}]+\}/.test(path)) {
    throw new InvalidArgumentError(`Missing path parameter in ${endpoint.path} for ${endpoint.id}.`);
  }

  const prefix = endpoint.versioned === false ? '' : `/v${apiVersion}`;
  const search = query.toString();
  return {
    method: endpoint.method,
    path: `${prefix}${path}${search ? `?${search}` : ''}`,
    headers,
    body,
    endpoint,
  };
}

function asList(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [value];
}

function requireString(endpoint: EndpointDefinition, name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw invalidType(endpoint, name, 'a string', value);
}

function requireInteger(endpoint: EndpointDefinition, name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  throw invalidType(endpoint, name, 'an integer', value);
}

function requireBoolean(endpoint: EndpointDefinition, name: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  throw invalidType(endpoint, name, 'a boolean', value);
}

function invalidType(endpoint: EndpointDefinition, name: string, expected: string, value: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`Parameter "${name}" of ${endpoint.id} must be ${expected}, got ${describeValue(value)}.`, {
    argument: name,
  });
}

