import { describe, expect, it } from 'vitest';
import * as protocol from '../../../src/index.js';
import { operations } from '../../../src/generated/index.js';
import type { EndpointDefinition } from '../../../src/index.js';

// The definitions carry the wire rules; the spec (the generated `operations` table) carries the
// method and path of each operation id. They must agree, or the types that `client.send` takes
// from the spec by operation id would describe another endpoint. (The parameters are checked
// against the spec at compile time, by defineEndpoint: see test/types.)
const definitions = Object.entries(protocol).filter(
  (entry): entry is [string, EndpointDefinition] => entry[0].endsWith('Endpoint') && typeof entry[1] === 'object' && entry[1] !== null && 'id' in entry[1],
);
/** Operations the daemon serves and the spec leaves out (see SpecParameterCorrections; `POST /grpc` is BuildKit's). */
const notInSpec = new Set(['BuildCancel', 'Grpc']);

describe('endpoint definitions and the spec', () => {
  it('finds the definitions', () => {
    expect(definitions.map(([name]) => name)).toEqual(expect.arrayContaining(['imageListEndpoint', 'imagePullEndpoint', 'pingEndpoint', 'buildCancelEndpoint']));
    expect(definitions.length).toBeGreaterThanOrEqual(20);
  });

  it.each(definitions)('%s has the method and path of its operation id', (_name, definition) => {
    const operation = (operations as Readonly<Record<string, { method: string; path: string }>>)[definition.id];
    if (notInSpec.has(definition.id)) {
      expect(operation).toBeUndefined();
      return;
    }
    expect(operation, `${definition.id} is not an operation of the spec`).toBeDefined();
    expect({ method: definition.method, path: definition.path }).toEqual(operation);
  });

  it.each(definitions)('%s declares every path placeholder as a path parameter', (_name, definition) => {
    const placeholders = [...definition.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    const pathParameters = Object.entries(definition.parameters)
      .filter(([, parameter]) => parameter.kind === 'path')
      .map(([name, parameter]) => parameter.wireName ?? name);
    expect(pathParameters.sort()).toEqual(placeholders.sort());
  });
});
