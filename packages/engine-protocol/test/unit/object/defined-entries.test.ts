import { describe, expect, it } from 'vitest';
import { definedEntries } from '../../../src/internal.js';

describe('definedEntries', () => {
  it('drops undefined properties and keeps every other value, falsy ones included', () => {
    const result = definedEntries({ tag: 'v1', platform: undefined, quiet: false, size: 0, label: '', nothing: null });
    expect(result).toEqual({ tag: 'v1', quiet: false, size: 0, label: '', nothing: null });
    expect(Object.keys(result)).not.toContain('platform');
  });

  it('spreads like the conditional spread it replaces', () => {
    const tag: string | undefined = undefined;
    expect({ name: 'app', ...definedEntries({ tag }) }).toEqual({ name: 'app' });
    expect(Object.keys({ name: 'app', ...definedEntries({ tag: 'v1' }) })).toEqual(['name', 'tag']);
  });
});
