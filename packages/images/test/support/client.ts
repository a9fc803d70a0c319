// The one place integration tests get their engine client: maps the transport named by
// BERTH_TEST_TRANSPORT (through `testTransportName()`) to a Berth transport.
import { createEngineClient, type EngineClient, type Transport } from '@berth/engine-protocol';
import { testTransportName, type TestEngine } from '@berth/test-engine';
import { unixTransport } from '@berth/transport-unix';

/**
 * The transport of the harness engine for the configured transport name. Throws for a name
 * this package's tests do not know (the integrator adds `tcp` and `ssh` here).
 */
export function createTestTransport(engine: TestEngine): Transport {
  const name = testTransportName();
  switch (name) {
    case 'unix':
      return unixTransport({ socketPath: engine.socketPath });
    default:
      throw new Error(`Unknown test transport "${name}" (BERTH_TEST_TRANSPORT); @berth/images tests know: unix.`);
  }
}

/** A client of the harness engine over the configured transport. Close it after the suite. */
export function createTestClient(engine: TestEngine): EngineClient {
  return createEngineClient({ transport: createTestTransport(engine) });
}
