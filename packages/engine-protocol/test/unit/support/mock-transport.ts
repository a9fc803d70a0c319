import { MockAgent } from 'undici';
import type { Transport } from '../../../src/index.js';

/** One request the mock engine saw. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A canned reply. */
export interface CannedReply {
  status?: number;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

/**
 * A transport whose engine is a function: every request is recorded and answered by `reply`.
 * `/_ping` answers with `Api-Version: apiVersion` unless `reply` handles it.
 */
export function mockTransport(
  reply: (request: SeenRequest) => CannedReply | undefined = () => undefined,
  options: { apiVersion?: string } = {},
): Transport & { seen: SeenRequest[]; agent: MockAgent } {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const seen: SeenRequest[] = [];
  agent
    .get('http://localhost')
    .intercept({ path: () => true, method: () => true })
    .reply((call) => {
      const url = new URL(call.path, 'http://localhost');
      const headers: Record<string, string> = {};
      const raw = call.headers as unknown;
      if (Array.isArray(raw)) {
        for (let index = 0; index < raw.length; index += 2) headers[String(raw[index]).toLowerCase()] = String(raw[index + 1]);
      } else if (raw && typeof raw === 'object') {
        for (const [name, value] of Object.entries(raw as Record<string, string>)) headers[name.toLowerCase()] = String(value);
      }
      const request: SeenRequest = {
        method: call.method,
        path: url.pathname,
        query: url.searchParams,
        headers,
        body: typeof call.body === 'string' ? call.body : call.body === undefined || call.body === null ? undefined : '[stream]',
      };
      seen.push(request);
      const canned =
        reply(request) ??
        (url.pathname === '/_ping'
          ? { body: 'OK', headers: { 'api-version': options.apiVersion ?? '1.45', 'builder-version': '1', ostype: 'linux' } }
          : { status: 500, body: '{"message":"unexpected request in test"}' });
      return {
        statusCode: canned.status ?? 200,
        data: canned.body ?? '',
        responseOptions: { headers: { 'content-type': 'application/json', ...canned.headers } },
      };
    })
    .persist();
  return {
    type: 'mock',
    description: 'mock://engine',
    origin: 'http://localhost',
    dispatcher: agent,
    seen,
    agent,
    close: () => agent.close(),
  };
}
