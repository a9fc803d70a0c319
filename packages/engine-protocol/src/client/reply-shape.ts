import type { JsonShape } from '../request/endpoint.js';

/**
 * Says how a parsed JSON reply differs from the shape its endpoint declares, or returns
 * `undefined` when it fits. Only what the shape names is checked (type, string keys, each
 * element of an array), in one pass.
 *
 * @example
 * ```ts
 * describeShapeProblem({ Id: 'sha256:…' }, { type: 'array' }); // 'expected an array, got an object'
 * describeShapeProblem([{}], { type: 'array', items: { type: 'object', requiredStrings: ['Id'] } });
 * // 'element 0: "Id" is missing or not a string'
 * ```
 */
export function describeShapeProblem(value: unknown, shape: JsonShape): string | undefined {
  return problemAt(value, shape, '');
}

function problemAt(value: unknown, shape: JsonShape, where: string): string | undefined {
  const prefix = where === '' ? '' : `${where}: `;
  if (shape.type === 'array') {
    if (!Array.isArray(value)) return `${prefix}expected an array, got ${kindOf(value)}`;
    if (shape.items !== undefined) {
      for (let index = 0; index < value.length; index += 1) {
        const problem = problemAt(value[index], shape.items, `${where === '' ? '' : `${where}, `}element ${index}`);
        if (problem !== undefined) return problem;
      }
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${prefix}expected an object, got ${kindOf(value)}`;
  for (const key of shape.requiredStrings ?? []) {
    if (typeof (value as Record<string, unknown>)[key] !== 'string') return `${prefix}"${key}" is missing or not a string`;
  }
  return undefined;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
