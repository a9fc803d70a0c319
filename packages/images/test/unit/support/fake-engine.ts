// A transport whose "engine" is a function, for unit tests of the collection: it records every
// request (headers, query, uploaded body) and answers with canned bodies. It implements just the
// part of undici's Dispatcher that @berth/engine-protocol uses (`request`, and `dispatch` for
// byte-stream replies and for the protocol switch of a BuildKit build session, whose far end
// stays silent).
import { Duplex, Readable } from 'node:stream';
import { createEngineClient, type EngineClient, type Transport } from '@berth/engine-protocol';

/** One request the fake engine saw. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Record<string, string>;
  /** The uploaded body, read to its end. */
  readonly body: Buffer | undefined;
}

/** A canned reply; `chunks` are sent one by one. */
export interface FakeReply {
  readonly status?: number;
  readonly body?: string | Buffer;
  readonly chunks?: readonly (string | Uint8Array)[];
  readonly headers?: Record<string, string>;
}

/** What the handler gets; `versionless` is the path without `/v1.xx`. */
export type FakeHandler = (request: SeenRequest & { readonly versionless: string }) => FakeReply | undefined;

/** A client talking to the fake engine, and the requests it saw. */
export interface FakeEngine {
  readonly client: EngineClient;
  readonly seen: SeenRequest[];
  /** Requests other than `/_ping`. */
  readonly calls: () => SeenRequest[];
}

async function readBody(body: unknown): Promise<Buffer | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  const parts: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

/** Creates a fake engine speaking `apiVersion` (default 1.41). */
export function fakeEngine(handler: FakeHandler, options: { apiVersion?: string } = {}): FakeEngine {
  const fakeHandler = handler;
  const seen: SeenRequest[] = [];
  const dispatcher = {
    async request(call: { path: string; method: string; headers?: Record<string, string>; body?: unknown }) {
      const url = new URL(call.path, 'http://localhost');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(call.headers ?? {})) headers[name.toLowerCase()] = String(value);
      const request: SeenRequest = { method: call.method, path: url.pathname, query: url.searchParams, headers, body: await readBody(call.body) };
      seen.push(request);
      const versionless = url.pathname.replace(/^\/v\d+\.\d+/, '');
      const reply =
        handler({ ...request, versionless }) ??
        (url.pathname === '/_ping'
          ? { body: 'OK', headers: { 'api-version': options.apiVersion ?? '1.41' } }
          : { status: 500, body: '{"message":"unexpected request in test"}' });
      const chunks = reply.chunks ?? [reply.body ?? ''];
      const body = Readable.from(
        chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk))),
        { objectMode: false },
      ) as Readable & { dump(): Promise<void> };
      body.dump = async () => {
        body.resume();
        body.destroy();
      };
      return { statusCode: reply.status ?? 200, headers: { 'content-type': 'application/json', ...reply.headers }, body };
    },
  };
  const upgradable = Object.assign(dispatcher, {
    dispatch(
      call: { path: string; method: string; headers?: Record<string, string | string[]>; upgrade?: string },
      handler: {
        onRequestStart?(controller: unknown, context: unknown): void;
        onRequestUpgrade?(controller: unknown, status: number, headers: Record<string, string>, socket: Duplex): void;
        onResponseStart?(controller: unknown, status: number, headers: Record<string, string>): void;
        onResponseData?(controller: unknown, chunk: Buffer): void;
        onResponseEnd?(controller: unknown, trailers: Record<string, string>): void;
      },
    ): boolean {
      const url = new URL(call.path, 'http://localhost');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(call.headers ?? {})) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
      // undici sends the `upgrade` option as the Upgrade header.
      if (call.upgrade !== undefined) headers['upgrade'] = String(call.upgrade);
      const request: SeenRequest = { method: call.method, path: url.pathname, query: url.searchParams, headers, body: undefined };
      seen.push(request);
      const controller = { aborted: false, paused: false, reason: null, abort() {}, pause() {}, resume() {} };
      // The handler may refuse the switch (an engine without the endpoint answers 404).
      const refusal = fakeHandler({ ...request, versionless: url.pathname.replace(/^\/v\d+\.\d+/, '') });
      if (refusal !== undefined) {
        queueMicrotask(() => {
          handler.onRequestStart?.(controller, {});
          handler.onResponseStart?.(controller, refusal.status ?? 200, { 'content-type': 'application/json', ...refusal.headers });
          // A reply through dispatch (the switch refused, or a byte-stream reply such as a save).
          for (const chunk of refusal.chunks ?? [refusal.body ?? '']) handler.onResponseData?.(controller, Buffer.from(chunk));
          handler.onResponseEnd?.(controller, {});
        });
        return true;
      }
      const silentEngine = new Duplex({ read() {}, write(_chunk, _encoding, callback) { callback(); } });
      queueMicrotask(() => {
        handler.onRequestStart?.(controller, {});
        handler.onRequestUpgrade?.(controller, 101, { connection: 'Upgrade', upgrade: String(call.upgrade) }, silentEngine);
      });
      return true;
    },
  });
  const transport = fakeTransport(upgradable);
  return {
    client: createEngineClient({ transport, environment: {} }),
    seen,
    calls: () => seen.filter((request) => request.path !== '/_ping'),
  };
}

/** Decodes an `X-Registry-Auth` / `X-Registry-Config` header. */
export function decodeRegistryHeader(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
}

/** A transport around a hand-written dispatcher, for tests that script the engine's replies. */
export function fakeTransport(dispatcher: { request(...parameters: never[]): unknown }): Transport {
  return {
    type: 'fake',
    description: 'fake://engine',
    origin: 'http://localhost',
    dispatcher: dispatcher as unknown as Transport['dispatcher'],
    close: async () => {},
  };
}
