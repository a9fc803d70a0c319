import { ClientClosedError } from '@berth/engine-protocol';
import { describe, expect, it } from 'vitest';
import { createDocker, type Docker } from '../../src/create-docker.js';
import { fakeTransport } from '../helpers/fake-transport.js';

describe('Docker and await using', () => {
  it('closes the client and the transport when the scope ends, also on an error', async () => {
    const transport = fakeTransport('disposable');
    let escaped: Docker | undefined;
    const scope = async () => {
      await using docker = await createDocker({ transport, credentials: false });
      escaped = docker;
      expect(transport.closeCount).toBe(0);
      throw new Error('inside the scope');
    };
    await expect(scope()).rejects.toThrow('inside the scope');
    expect(transport.closeCount).toBe(1);
    await expect(escaped!.client.apiVersion()).rejects.toBeInstanceOf(ClientClosedError);
  });
});
