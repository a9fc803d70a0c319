import { describe, expect, it } from 'vitest';
import { ClientClosedError, createEngineClient, listImages, type EngineClient } from '../../../src/index.js';
import { mockTransport } from '../support/mock-transport.js';

function countingTransport() {
  const transport = mockTransport((request) => (request.path.endsWith('/images/json') ? { body: '[]' } : undefined));
  let closes = 0;
  return { transport: { ...transport, close: async () => { closes += 1; await transport.close(); } }, closes: () => closes };
}

describe('EngineClient and await using', () => {
  it('closes the client and its transport when the scope ends', async () => {
    const { transport, closes } = countingTransport();
    let escaped: EngineClient | undefined;
    {
      await using client = createEngineClient({ transport });
      escaped = client;
      expect(await listImages(client)).toEqual([]);
      expect(closes()).toBe(0);
    }
    expect(closes()).toBe(1);
    await expect(listImages(escaped)).rejects.toBeInstanceOf(ClientClosedError);
  });

  it('closes when the scope ends with an error, and the error is the one thrown', async () => {
    const { transport, closes } = countingTransport();
    const failing = async () => {
      await using client = createEngineClient({ transport });
      await listImages(client);
      throw new Error('inside the scope');
    };
    await expect(failing()).rejects.toThrow('inside the scope');
    expect(closes()).toBe(1);
  });

  it('is close() with its defaults: disposing a closed client is harmless', async () => {
    const { transport, closes } = countingTransport();
    const client = createEngineClient({ transport });
    await client.close();
    await client[Symbol.asyncDispose]();
    expect(closes()).toBe(1);
  });
});
