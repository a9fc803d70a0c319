#!/usr/bin/env node
/**
 * Generates the TypeScript types of `@berth/engine-protocol` from the Docker
 * Engine API spec (Swagger 2.0 YAML).
 *
 * Usage:
 *   node scripts/generate-types.mjs [--spec PATH] [--out DIR]
 *
 *   --spec PATH  spec to read. Default: $BERTH_ENGINE_API_SPEC, else the copy kept in
 *                this package, spec/swagger-v1.56.yaml (see spec/README.md)
 *   --out DIR    directory to write into. Default: src/generated
 *
 * Writes `definitions.ts` (one type per spec definition), `operations.ts`
 * (parameter/body/response types per operation, the `operations` table and the
 * `OperationTypes` map) and `index.ts`.
 *
 * The output is a pure function of the spec: no timestamps, no absolute
 * paths, spec order everywhere. That is what lets the unit test compare the
 * committed files with a fresh run.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The spec kept in the repository, so any clone can generate (see spec/README.md). */
const DEFAULT_SPEC = path.join(PACKAGE_DIR, 'spec/swagger-v1.56.yaml');
const DEFAULT_OUT = path.join(PACKAGE_DIR, 'src/generated');

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];
const PARAMETER_LOCATIONS = [
  { in: 'path', suffix: 'PathParameters', key: 'path', label: 'Path' },
  { in: 'query', suffix: 'QueryParameters', key: 'query', label: 'Query' },
  { in: 'header', suffix: 'HeaderParameters', key: 'headers', label: 'Header' },
];

/** Not a spec definition: what `type: string, format: binary` maps to. */
const BINARY_TYPE = 'BinaryData';

/**
 * A few schemas have no JSON schema at all, only an `x-go-type` naming a Go
 * type (the Go code generator uses it; JSON clients get nothing). When the Go
 * type is itself generated from another definition, point at that definition.
 * Keys are `<last segment of the enclosing definition's x-go-package>.<Go type>`.
 * Go types that share their name with a definition are resolved without this
 * table; anything else becomes `unknown`.
 */
const GO_TYPE_DEFINITIONS = {
  'image.Summary': 'ImageSummary',
  'container.Summary': 'ContainerSummary',
  'volume.Volume': 'Volume',
  'build.CacheRecord': 'BuildCache',
};

// ---------------------------------------------------------------------------
// Small text helpers

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A single-quoted TS string literal. */
function quote(value) {
  const body = JSON.stringify(String(value)).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${body}'`;
}

function propertyKey(name) {
  return IDENTIFIER.test(name) ? name : quote(name);
}

/** PascalCase identifier from an arbitrary spec name (`foo-bar.baz` -> `FooBarBaz`). */
function toTypeName(name) {
  const parts = String(name).split(/[^A-Za-z0-9_$]+/).filter(Boolean);
  const joined = parts.map((p) => p[0].toUpperCase() + p.slice(1)).join('');
  if (joined === '') throw new Error(`cannot derive a type name from ${JSON.stringify(name)}`);
  return /^[0-9]/.test(joined) ? `_${joined}` : joined;
}

/**
 * A TSDoc block from paragraphs: strings are free text (markdown from the
 * spec), `{ tag }` objects are TSDoc tags written by the generator. Returns ''
 * when there is nothing to say.
 */
function docComment(paragraphs, indent) {
  const text = paragraphs
    .map((p) => (typeof p === 'string' ? escapeDocText(p) : p?.tag))
    .filter((p) => typeof p === 'string' && p !== '')
    .join('\n\n');
  if (text === '') return '';
  const lines = text.replace(/\*\//g, '*\\/').split('\n');
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => (l === '' ? `${indent} *` : `${indent} * ${l}`)).join('\n')}\n${indent} */\n`;
}

function escapeDocText(text) {
  return text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split('\n')
    .map((line) => line.trimEnd())
    // A line starting with `@` would be read as a TSDoc tag.
    .map((line) => line.replace(/^(\s*)@/, '$1\\@'))
    .join('\n');
}

function defaultValueTag(schema) {
  if (schema.default === undefined) return undefined;
  return { tag: `@defaultValue \`${JSON.stringify(schema.default)}\`` };
}

/** True when `text` has a `|` outside of braces, brackets, parens and quotes. */
function hasTopLevelUnion(text) {
  let depth = 0;
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === "'") inQuote = false;
    } else if (c === "'") inQuote = true;
    else if ('{[(<'.includes(c)) depth++;
    else if ('}])>'.includes(c)) depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

function unionOf(types) {
  const unique = [...new Set(types)];
  return unique.length === 0 ? 'never' : unique.join(' | ');
}

// ---------------------------------------------------------------------------
// Schema -> TypeScript

/**
 * Rendering state shared by both output files.
 * - `definitionNames`: spec definition key -> TS type name
 * - `usedDefinitions`: names referenced while rendering (for imports)
 * - `goPackage`: x-go-package of the definition being rendered
 */
function createContext(spec) {
  const definitionNames = new Map();
  const taken = new Map();
  for (const key of Object.keys(spec.definitions ?? {})) {
    const name = toTypeName(key);
    if (name === BINARY_TYPE) throw new Error(`definition ${key} clashes with the generator's own ${BINARY_TYPE} type`);
    if (taken.has(name)) throw new Error(`definitions ${taken.get(name)} and ${key} both map to type name ${name}`);
    taken.set(name, key);
    definitionNames.set(key, name);
  }
  const typeNames = new Set(definitionNames.values());
  return { spec, definitionNames, typeNames, usedDefinitions: new Set(), goPackage: undefined, warnings: [] };
}

/** Definition key of a `#/definitions/...` ref, or undefined. */
function definitionKey(ref) {
  const match = typeof ref === 'string' ? /^#\/definitions\/(.+)$/.exec(ref) : null;
  return match ? match[1].replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
}

/** TS name of the definition a `#/definitions/...` ref points at, or undefined. */
function refTarget(ref, ctx) {
  const key = definitionKey(ref);
  return key === undefined ? undefined : ctx.definitionNames.get(key);
}

function refName(ref, ctx) {
  const name = refTarget(ref, ctx);
  if (name === undefined) throw new Error(`unsupported or dangling $ref ${ref}`);
  ctx.usedDefinitions.add(name);
  return name;
}

/** The type for a schema. `indent` is the indentation of the line it starts on. */
function renderType(schema, ctx, indent) {
  if (schema === undefined || schema === null || typeof schema !== 'object') return 'unknown';
  const type = renderNonNullable(schema, ctx, indent);
  const alreadyNullable = type === 'unknown' || type === 'null' || type.endsWith('| null');
  return isNullable(schema) && !alreadyNullable ? `${type} | null` : type;
}

/**
 * `x-nullable: true` on a schema adds `| null`. On a *definition* it is moved
 * to the object properties that reference it (see propertySchema): the
 * definition itself stays a plain shape that can be extended, picked from, etc.
 */
function isNullable(schema) {
  return schema['x-nullable'] === true;
}

/**
 * A property whose schema is a `$ref` to an `x-nullable` definition is
 * nullable unless it says otherwise. (In the Go types such a field is a
 * pointer.) Array items and map values are left alone: the spec's intent there
 * is "a list of X", and `Array<X | null>` would only add noise.
 */
function propertySchema(property, ctx) {
  if (property === null || typeof property !== 'object' || property['x-nullable'] !== undefined) return property;
  const key = definitionKey(property.$ref);
  return key !== undefined && ctx.spec.definitions?.[key]?.['x-nullable'] === true ? { ...property, 'x-nullable': true } : property;
}

function renderNonNullable(schema, ctx, indent) {
  // Swagger 2.0 says siblings of $ref are ignored; the Engine spec still puts
  // `x-nullable` and `description` beside them, which renderType/callers honor.
  if (typeof schema.$ref === 'string') return refName(schema.$ref, ctx);
  if (Array.isArray(schema.allOf)) return renderAllOf(schema, ctx, indent);
  if (Array.isArray(schema.enum)) {
    const literals = renderEnum(schema);
    if (literals !== undefined) return literals;
  }
  switch (schema.type) {
    case 'string':
      return schema.format === 'binary' ? binaryType(ctx) : 'string';
    case 'file':
      return binaryType(ctx);
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return renderArray(schema, ctx, indent);
    case 'object':
      return renderObject(schema, ctx, indent);
    case undefined:
      if (schema.properties !== undefined || schema.additionalProperties !== undefined) return renderObject(schema, ctx, indent);
      if (schema.items !== undefined) return renderArray(schema, ctx, indent);
      if (schema['x-go-type'] !== undefined) return renderGoType(schema['x-go-type'], ctx);
      return 'unknown';
    default:
      ctx.warnings.push(`unsupported schema type ${JSON.stringify(schema.type)}; rendered as unknown`);
      return 'unknown';
  }
}

function binaryType(ctx) {
  ctx.usedDefinitions.add(BINARY_TYPE);
  return BINARY_TYPE;
}

function renderArray(schema, ctx, indent) {
  const item = renderType(schema.items, ctx, indent);
  return /^[A-Za-z0-9_$]+$/.test(item) ? `${item}[]` : `Array<${item}>`;
}

/** Literal union for an enum, or undefined when a value has no literal type. */
function renderEnum(schema) {
  const literals = [];
  for (const value of schema.enum) {
    if (value === null) literals.push('null');
    else if (schema.type === 'string') literals.push(quote(value));
    else if (typeof value === 'number' || typeof value === 'boolean') literals.push(String(value));
    else if (typeof value === 'string') literals.push(quote(value));
    // `enum: [{}]` is how the spec says "the value must be an empty object".
    else if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) {
      literals.push('Record<string, never>');
    } else return undefined;
  }
  return unionOf(literals);
}

function renderAllOf(schema, ctx, indent) {
  const members = [...schema.allOf];
  // NetworkInspect-style: `allOf` plus own `properties` on the same schema.
  if (schema.properties !== undefined || schema.additionalProperties !== undefined) {
    members.push({ type: 'object', properties: schema.properties, additionalProperties: schema.additionalProperties, required: schema.required });
  }
  // A bare `type: object` member (used only to attach an example) adds nothing;
  // intersecting with Record<string, unknown> would silently allow any key.
  // Members are shapes being merged: a nullable definition used here
  // contributes its shape, not its `| null`.
  const parts = members
    .filter((m) => !isFreeFormObject(m))
    .map((m) => renderType({ ...m, 'x-nullable': false }, ctx, indent))
    .map((t) => (hasTopLevelUnion(t) ? `(${t})` : t));
  if (parts.length === 0) return 'Record<string, unknown>';
  return [...new Set(parts)].join(' & ');
}

function isFreeFormObject(schema) {
  return (
    schema !== null &&
    typeof schema === 'object' &&
    schema.$ref === undefined &&
    schema.allOf === undefined &&
    schema.enum === undefined &&
    (schema.type === 'object' || schema.type === undefined) &&
    schema.items === undefined &&
    schema.additionalProperties === undefined &&
    Object.keys(schema.properties ?? {}).length === 0 &&
    schema['x-go-type'] === undefined
  );
}

function renderGoType(goType, ctx) {
  const name = typeof goType === 'object' && goType !== null ? goType.type : undefined;
  if (typeof name !== 'string') return 'unknown';
  if (ctx.typeNames.has(name)) return refName(`#/definitions/${name}`, ctx);
  const pkg = typeof ctx.goPackage === 'string' ? ctx.goPackage.split('/').pop() : undefined;
  const mapped = pkg === undefined ? undefined : GO_TYPE_DEFINITIONS[`${pkg}.${name}`];
  if (mapped !== undefined) return refName(`#/definitions/${mapped}`, ctx);
  ctx.warnings.push(`x-go-type ${pkg ?? '?'}.${name} has no JSON schema; rendered as unknown`);
  return 'unknown';
}

/** Value type of `additionalProperties`, or undefined when there is none. */
function additionalPropertiesType(schema, ctx, indent) {
  const extra = schema.additionalProperties;
  if (extra === undefined || extra === false) return undefined;
  if (extra === true || (typeof extra === 'object' && Object.keys(extra).length === 0)) return 'unknown';
  return renderType(extra, ctx, indent);
}

function renderObject(schema, ctx, indent) {
  const properties = Object.entries(schema.properties ?? {});
  const extra = additionalPropertiesType(schema, ctx, indent);
  if (properties.length === 0) {
    if (extra !== undefined) return `Record<string, ${extra}>`;
    return schema.additionalProperties === false ? 'Record<string, never>' : 'Record<string, unknown>';
  }
  const required = requiredSet(schema, ctx);
  const inner = `${indent}  `;
  let body = '';
  for (const [name, property] of properties) {
    body += docComment([property?.description, property ? defaultValueTag(property) : undefined], inner);
    body += `${inner}${propertyKey(name)}${required.has(name) ? '' : '?'}: ${renderType(propertySchema(property, ctx), ctx, inner)};\n`;
  }
  // Known properties plus extra keys: an index signature must accept every
  // property's type, so the extras are typed `unknown` rather than `extra`.
  if (extra !== undefined) body += `${inner}[key: string]: unknown;\n`;
  return `{\n${body}${indent}}`;
}

function requiredSet(schema, ctx) {
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  for (const name of required) {
    if (!(name in (schema.properties ?? {}))) {
      ctx.warnings.push(`required property ${JSON.stringify(name)} is not declared in properties; ignored`);
    }
  }
  return required;
}

/** True when the schema renders as a plain object literal (so it can be an interface). */
function isInterfaceShaped(schema) {
  return (
    schema !== null &&
    typeof schema === 'object' &&
    schema.$ref === undefined &&
    schema.allOf === undefined &&
    schema.enum === undefined &&
    schema['x-nullable'] !== true &&
    (schema.type === 'object' || schema.type === undefined) &&
    Object.keys(schema.properties ?? {}).length > 0
  );
}

/** `export interface` for plain objects, `export type` for everything else. */
function declareType(name, schema, doc, ctx) {
  const type = renderType(schema, ctx, '');
  if (isInterfaceShaped(schema) && type.startsWith('{')) {
    return `${doc}export interface ${name} ${type}\n`;
  }
  return `${doc}export type ${name} = ${type};\n`;
}

// ---------------------------------------------------------------------------
// definitions.ts

function generateDefinitions(ctx, header) {
  let out = `${header}\n`;
  out += docComment(
    [
      'Raw bytes passed through as-is: what the spec calls `type: string, format: binary`\n' +
        '(tar archives, image tarballs, raw or multiplexed streams). Not a spec definition;\n' +
        'added by the generator. How the bytes are buffered or streamed is up to the request pipeline.',
    ],
    '',
  );
  out += `export type ${BINARY_TYPE} = Uint8Array | AsyncIterable<Uint8Array>;\n`;
  for (const [key, schema] of Object.entries(ctx.spec.definitions ?? {})) {
    const name = ctx.definitionNames.get(key);
    const title = typeof schema.title === 'string' && schema.title !== key ? `Title in the spec: \`${schema.title}\`.` : undefined;
    const nullable = schema['x-nullable'] === true ? `Nullable in the spec: properties that reference it are typed \`${name} | null\`.` : undefined;
    const doc = docComment([schema.description, title, nullable], '');
    ctx.goPackage = schema['x-go-package'];
    out += `\n${declareTypeWithWarnings(name, { ...schema, 'x-nullable': false }, doc, ctx, `definition ${key}`)}`;
    ctx.goPackage = undefined;
  }
  return out;
}

/** declareType, prefixing any warnings raised while rendering with `where`. */
function declareTypeWithWarnings(name, schema, doc, ctx, where) {
  const before = ctx.warnings.length;
  const text = declareType(name, schema, doc, ctx);
  for (let i = before; i < ctx.warnings.length; i++) ctx.warnings[i] = `${where}: ${ctx.warnings[i]}`;
  return text;
}

// ---------------------------------------------------------------------------
// operations.ts

/** Resolves `#/parameters/X` and `#/responses/X` style references. */
function resolveLocal(ctx, value) {
  if (value === null || typeof value !== 'object' || typeof value.$ref !== 'string') return value;
  const match = /^#\/(parameters|responses)\/(.+)$/.exec(value.$ref);
  const target = match ? ctx.spec[match[1]]?.[match[2]] : undefined;
  if (target === undefined) throw new Error(`cannot resolve ${value.$ref}`);
  return target;
}

/** Operations in spec order, with path-level parameters merged in. */
function collectOperations(ctx) {
  const operations = [];
  for (const [route, item] of Object.entries(ctx.spec.paths ?? {})) {
    const shared = (item.parameters ?? []).map((p) => resolveLocal(ctx, p));
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      if (typeof op.operationId !== 'string') throw new Error(`${method.toUpperCase()} ${route} has no operationId`);
      const own = (op.parameters ?? []).map((p) => resolveLocal(ctx, p));
      // Operation-level parameters override path-level ones with the same name and location.
      const parameters = [...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)), ...own];
      operations.push({ id: op.operationId, name: toTypeName(op.operationId), method: method.toUpperCase(), route, op, parameters });
    }
  }
  return operations;
}

/**
 * Names the types of one operation and checks they are free. A name may
 * equal a definition only when it *is* that definition (e.g. the 201 schema of
 * ContainerCreate is `$ref: ContainerCreateResponse`): then the definition is
 * reused instead of declared again.
 */
function reserveName(name, ctx, taken, reuseRef) {
  if (taken.has(name)) throw new Error(`type name ${name} is generated twice (${taken.get(name)})`);
  if (ctx.typeNames.has(name)) {
    if (refTarget(reuseRef, ctx) === name) {
      ctx.usedDefinitions.add(name);
      return { name, declare: false };
    }
    throw new Error(`operation type ${name} clashes with the definition of the same name`);
  }
  taken.set(name, 'operation');
  return { name, declare: true };
}

function parameterDoc(parameter) {
  const collection = parameter.type === 'array' && parameter.collectionFormat ? `Serialized with \`collectionFormat: ${parameter.collectionFormat}\`.` : undefined;
  return [parameter.description, collection, defaultValueTag(parameter)];
}

function renderParameters(parameters, ctx) {
  let body = '';
  const seen = new Set();
  for (const parameter of parameters) {
    if (seen.has(parameter.name)) ctx.warnings.push(`parameter ${parameter.name} is declared twice`);
    seen.add(parameter.name);
    const required = parameter.in === 'path' || parameter.required === true;
    body += docComment(parameterDoc(parameter), '  ');
    body += `  ${propertyKey(parameter.name)}${required ? '' : '?'}: ${renderType(parameter, ctx, '  ')};\n`;
  }
  return `{\n${body}}`;
}

/** 1xx/2xx responses in status order: what a successful call can return. */
function successResponses(entry, ctx) {
  return Object.entries(entry.op.responses ?? {})
    .filter(([code]) => /^[12]\d\d$/.test(code))
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([code, response]) => ({ code: Number(code), response: resolveLocal(ctx, response) }));
}

/**
 * Response type: the union over success responses. No body for HEAD, 204, 205
 * and 304; `unknown` when a body is produced (explicit `produces`) but the
 * spec gives no schema (e.g. the JSON progress streams of ImageCreate).
 */
function responseType(entry, ctx) {
  const produces = Array.isArray(entry.op.produces) && entry.op.produces.length > 0;
  const types = successResponses(entry, ctx).map(({ code, response }) => {
    if (entry.method === 'HEAD' || code === 204 || code === 205 || code === 304) return 'void';
    if (response.schema !== undefined) return renderType(response.schema, ctx, '');
    return produces ? 'unknown' : 'void';
  });
  return types.length === 0 ? 'void' : unionOf(types);
}

function responseSchemaRef(entry, ctx) {
  const responses = successResponses(entry, ctx);
  if (responses.length !== 1 || entry.method === 'HEAD') return undefined;
  return responses[0].response.schema?.$ref;
}

function operationHeading(entry) {
  return `${entry.name}: \`${entry.method} ${entry.route}\``;
}

/** Declares the types of one operation; returns the code and the OperationTypes entry. */
function generateOperation(entry, ctx, taken) {
  const declarations = [];
  const types = {};
  const before = ctx.warnings.length;

  for (const location of PARAMETER_LOCATIONS) {
    const parameters = entry.parameters.filter((p) => p.in === location.in);
    if (parameters.length === 0) {
      types[location.key] = 'undefined';
      continue;
    }
    const { name } = reserveName(`${entry.name}${location.suffix}`, ctx, taken);
    const doc = docComment([`${location.label} parameters of ${operationHeading(entry)}.`], '');
    declarations.push(`${doc}export interface ${name} ${renderParameters(parameters, ctx)}\n`);
    types[location.key] = name;
  }

  if (entry.parameters.some((p) => p.in === 'formData')) ctx.warnings.push('formData parameters are not supported; ignored');
  const body = entry.parameters.find((p) => p.in === 'body');
  if (body === undefined) {
    types.body = 'undefined';
  } else {
    const { name, declare } = reserveName(`${entry.name}Body`, ctx, taken, body.schema?.$ref);
    const doc = docComment([`Request body of ${operationHeading(entry)}.`, body.description], '');
    if (declare) declarations.push(declareType(name, body.schema, doc, ctx));
    types.body = body.required === true ? name : `${name} | undefined`;
  }

  const response = reserveName(`${entry.name}Response`, ctx, taken, responseSchemaRef(entry, ctx));
  if (response.declare) {
    const statuses = successResponses(entry, ctx).map(({ code, response: r }) => `${code}: ${r.description ?? ''}`.trim());
    const doc = docComment([`Response of ${operationHeading(entry)}.`, statuses.join('\n')], '');
    declarations.push(`${doc}export type ${response.name} = ${responseType(entry, ctx)};\n`);
  }
  types.response = response.name;

  for (let i = before; i < ctx.warnings.length; i++) ctx.warnings[i] = `operation ${entry.id}: ${ctx.warnings[i]}`;
  const banner = `// --- ${entry.id} ${'-'.repeat(Math.max(3, 72 - entry.id.length))}\n`;
  return { code: `\n${banner}${declarations.join('\n')}`, types };
}

function generateOperations(ctx, header) {
  const entries = collectOperations(ctx);
  const taken = new Map();
  const seenIds = new Set();
  let declarations = '';
  const typeMap = [];
  ctx.usedDefinitions = new Set();

  for (const entry of entries) {
    if (seenIds.has(entry.name)) throw new Error(`duplicate operationId ${entry.id}`);
    seenIds.add(entry.name);
    const { code, types } = generateOperation(entry, ctx, taken);
    declarations += code;
    typeMap.push({ entry, types });
  }

  let out = `${header}\n`;
  const imports = [...ctx.usedDefinitions].sort();
  if (imports.length > 0) out += `import type {\n${imports.map((n) => `  ${n},`).join('\n')}\n} from './definitions.js';\n\n`;
  out += docComment(['Version of the Engine API spec these types were generated from.'], '');
  out += `export const ENGINE_API_SPEC_VERSION = ${quote(ctx.spec.info?.version ?? '')};\n`;
  out += declarations;

  out += '\n';
  out += docComment(
    [
      'Every Engine API operation, keyed by its `operationId`: HTTP method and path template\n' +
        '(placeholders like `{id}` are path parameters; paths carry no version prefix).',
    ],
    '',
  );
  out += 'export const operations = {\n';
  for (const { entry } of typeMap) {
    out += docComment([entry.op.summary, entry.op.description], '  ');
    out += `  ${propertyKey(entry.id)}: { method: ${quote(entry.method)}, path: ${quote(entry.route)} },\n`;
  }
  out += '} as const;\n\n';
  out += '/** An `operationId` of the Engine API. */\n';
  out += 'export type OperationId = keyof typeof operations;\n\n';

  out += docComment(
    [
      'Request and response types of every operation, keyed by `operationId`.\n' +
        '`undefined` means the operation takes no such input; a `response` of `void` means no body.',
    ],
    '',
  );
  out += 'export interface OperationTypes {\n';
  for (const { entry, types } of typeMap) {
    out += `  ${propertyKey(entry.id)}: {\n`;
    for (const key of ['path', 'query', 'headers', 'body', 'response']) out += `    ${key}: ${types[key]};\n`;
    out += '  };\n';
  }
  out += '}\n';
  return out;
}

// ---------------------------------------------------------------------------
// Driver

function generate(spec) {
  if (spec?.swagger !== '2.0') throw new Error(`expected a Swagger 2.0 spec, got swagger: ${JSON.stringify(spec?.swagger)}`);
  const version = spec.info?.version ?? 'unknown';
  const header = `// GENERATED by scripts/generate-types.mjs from the Engine API spec v${version} — do not edit; rerun \`pnpm --filter @berth/engine-protocol generate\`\n`;
  const ctx = createContext(spec);
  const files = {
    'definitions.ts': generateDefinitions(ctx, header),
    'operations.ts': generateOperations(ctx, header),
    // definitions.ts only has types; operations.ts also has values (`operations`).
    'index.ts': `${header}\nexport type * from './definitions.js';\nexport * from './operations.js';\n`,
  };
  return { files, warnings: ctx.warnings, version };
}

function resolveSpecPath(cliValue) {
  if (cliValue) return path.resolve(cliValue);
  if (process.env.BERTH_ENGINE_API_SPEC) return path.resolve(process.env.BERTH_ENGINE_API_SPEC);
  return DEFAULT_SPEC;
}

function main() {
  const { values } = parseArgs({
    options: { spec: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log('Usage: node scripts/generate-types.mjs [--spec PATH] [--out DIR]');
    return;
  }
  const specPath = resolveSpecPath(values.spec);
  if (!existsSync(specPath)) {
    console.error(
      `generate-types: Engine API spec not found at ${specPath}\n` +
        `The repository keeps it at ${path.relative(process.cwd(), DEFAULT_SPEC) || DEFAULT_SPEC}; pass --spec PATH / set BERTH_ENGINE_API_SPEC for another.`,
    );
    process.exitCode = 1;
    return;
  }
  const { files, warnings, version } = generate(parseYaml(readFileSync(specPath, 'utf8')));
  for (const warning of warnings) console.warn(`generate-types: warning: ${warning}`);

  const outDir = path.resolve(values.out ?? DEFAULT_OUT);
  mkdirSync(outDir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(outDir, name);
    // Leave unchanged files alone so watchers and incremental builds stay quiet.
    if (existsSync(target) && readFileSync(target, 'utf8') === content) continue;
    writeFileSync(target, content);
  }
  const shown = path.relative(process.cwd(), outDir);
  console.log(`generate-types: Engine API v${version} -> ${shown.startsWith('..') ? outDir : shown || '.'} (${Object.keys(files).join(', ')})`);
}

main();
