// A Transport that records whether it was closed; it never sends anything.
import type { Transport } from '@berth/engine-protocol';

export interface FakeTransport extends Transport {
  closeCount: number;
}

export function fakeTransport(description: string): FakeTransport {
  const transport: FakeTransport = {
    type: 'fake',
    description,
    origin: 'http://localhost',
    dispatcher: undefined as unknown as Transport['dispatcher'],
    closeCount: 0,
    async close() {
      transport.closeCount += 1;
    },
  };
  return transport;
}
