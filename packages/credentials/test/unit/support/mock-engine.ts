import { createEngineClient, type EngineClient } from '@berth/engine-protocol';
import { MockAgent } from 'undici';

/** One request the mock engine saw. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string | undefined;
}

/** A canned reply. */
export interface CannedReply {
  readonly status?: number;
  readonly body?: string;
}

/** An engine client whose engine is `reply`; API version pinned, so no `/_ping`. */
export function mockEngine(reply: (request: SeenRequest) => CannedReply): { client: EngineClient; seen: SeenRequest[] } {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const seen: SeenRequest[] = [];
  agent
    .get('http://localhost')
    .intercept({ path: () => true, method: () => true })
    .reply((call) => {
      const request = { method: call.method, path: call.path, body: typeof call.body === 'string' ? call.body : undefined };
      seen.push(request);
      const canned = reply(request);
      return { statusCode: canned.status ?? 200, data: canned.body ?? '', responseOptions: { headers: { 'content-type': 'application/json' } } };
    })
    .persist();
  const client = createEngineClient({
    transport: { type: 'mock', description: 'mock://engine', origin: 'http://localhost', dispatcher: agent, close: () => agent.close() },
    apiVersion: '1.41',
    environment: {},
  });
  return { client, seen };
}
