import { describe, expect, it } from 'vitest';
import { jsonSyntaxLocationSuffix, locateJsonSyntaxError } from '../../../src/internal.js';

describe('locateJsonSyntaxError', () => {
  // Single-line texts: the column is the offset + 1, and V8 gives the offset for these.
  const broken = [
    '{"a": 1,}',
    '{"a" 1}',
    '{"a": 1 "b": 2}',
    '[1, 2',
    '[1 2]',
    '"abc',
    '"a\u0001b"',
    '"a\\xb"',
    '"\\u12G4"',
    '{"a": -}',
    '{"a": 01}',
    '{"a": 1.}',
    '{"a": 1e}',
    '{"a": 1} x',
    '{a: 1}',
    '',
    '   ',
  ];

  it.each(broken)('agrees with the position V8 reports for %j', (text) => {
    let message = '';
    try {
      JSON.parse(text);
    } catch (error) {
      message = (error as Error).message;
    }
    const position = /at position (\d+)/.exec(message)?.[1];
    const location = locateJsonSyntaxError(text);
    expect(location).toBeDefined();
    expect(location?.line).toBe(1);
    // V8 names the position for most errors; where it does not, the offset is still inside the text.
    if (position !== undefined) expect(location!.column - 1).toBe(Number(position));
    else expect(location!.column - 1).toBeLessThanOrEqual(text.length);
  });

  it('counts lines and columns from 1', () => {
    expect(locateJsonSyntaxError('{\n  "a": 1,\n  "b": tru\n}')).toEqual({ line: 3, column: 11 });
  });

  it('finds no error in valid JSON', () => {
    for (const text of ['{}', '[]', '{"a": [1, -2.5e+3, true, false, null, "x\\n\\u00e9"]}', ' 0 ', '"\\/"']) {
      JSON.parse(text);
      expect(locateJsonSyntaxError(text)).toBeUndefined();
    }
  });
});

describe('jsonSyntaxLocationSuffix', () => {
  it('formats the location for a message, or nothing for valid JSON', () => {
    expect(jsonSyntaxLocationSuffix('{\n  "auth": x\n}')).toBe(' (line 2, column 11)');
    expect(jsonSyntaxLocationSuffix('{"auth": "x"}')).toBe('');
  });
});
