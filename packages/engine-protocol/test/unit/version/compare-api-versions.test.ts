// Regression (issue 9, bug 8): compareApiVersions('1.10', '1.10.1') returned 0; a third part
// was silently ignored.
import { describe, expect, it } from 'vitest';
import { compareApiVersions, InvalidArgumentError, isApiVersionAtLeast, parseApiVersion } from '../../../src/index.js';

describe('compareApiVersions', () => {
  it('compares major then minor numerically', () => {
    expect(compareApiVersions('1.41', '1.45')).toBeLessThan(0);
    expect(compareApiVersions('1.9', '1.10')).toBeLessThan(0);
    expect(compareApiVersions('1.51', '1.51')).toBe(0);
    expect(compareApiVersions('2.0', '1.99')).toBeGreaterThan(0);
    expect(isApiVersionAtLeast('1.48', '1.47')).toBe(true);
  });

  it.each(['1.10.1', '1', '1.x', 'v1.41', '', ' 1.41', '1.41 '])('refuses %j, like parseApiVersion', (malformed) => {
    expect(() => parseApiVersion(malformed)).toThrow(InvalidArgumentError);
    expect(() => compareApiVersions('1.10', malformed)).toThrow(InvalidArgumentError);
    expect(() => compareApiVersions(malformed, '1.10')).toThrow(InvalidArgumentError);
    expect(() => isApiVersionAtLeast(malformed, '1.41')).toThrow(InvalidArgumentError);
  });
});
