import { describe, expect, it } from 'vitest';
import * as main from '../../../src/index.js';
import * as internal from '../../../src/internal.js';

// The main entry is what applications use; the helpers Berth's packages and transport authors
// share live on `@berth/engine-protocol/internal` only (docs/architecture.md, "Public surface").
describe('entry points', () => {
  it('keeps the shared internals off the main entry', () => {
    const internals = [
      'mapTransportError',
      'errorCode',
      'createEngineError',
      'redactText',
      'redactUrl',
      'locateJsonSyntaxError',
      'rechunkBytes',
      'buildRequest',
      'resolveTimeout',
      'checkCallOptions',
      'toJsonMessageStream',
      'guardTarStream',
    ];
    for (const name of internals) {
      expect(Object.keys(main), name).not.toContain(name);
      expect(typeof (internal as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('exports every runtime symbol from exactly one entry', () => {
    const both = Object.keys(internal).filter((name) => name in main);
    expect(both).toEqual([]);
  });

  it('keeps what applications call on the main entry', () => {
    for (const name of ['createEngineClient', 'listImages', 'pullImage', 'BerthError', 'parseReference', 'decodeJsonMessages']) {
      expect(typeof (main as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});
