// Regression: BuildError's documentation said a connection error could be its `cause`, while a
// build whose connection drops (or whose signal aborts) rejects with that error itself. The
// behaviour is kept — `instanceof AbortedError` must stay the abort check, as for pull, push and
// load — and the documentation now says so; these tests pin it, and that the log survives on
// the operation.
import { Readable } from 'node:stream';
import {
  AbortedError,
  createEngineClient,
  SocketClosedError,
  TransportError,
} from '@berth/engine-protocol';
import { describe, expect, it } from 'vitest';
import { BuildError, ImageCollection } from '../../src/index.js';
import { fakeTransport } from './support/fake-engine.js';

const firstLines = [{ stream: 'Step 1/2 : FROM busybox\n' }, { stream: ' ---> 3f57d9401f8d\n' }];

/** undici's body has `dump()`; engine-protocol calls it to discard a body. */
function dumpable(body: Readable): Readable & { dump(): Promise<void> } {
  return Object.assign(body, {
    dump: async () => {
      body.destroy();
    },
  });
}

/**
 * An engine whose build reply sends `firstLines`, then either breaks the connection
 * (`ECONNRESET`) or stays silent until the request is aborted.
 */
function engineThatStops(ending: 'reset' | 'hang'): ImageCollection {
  const dispatcher = {
    async request(call: { path: string; signal?: AbortSignal; body?: unknown }) {
      if (call.path === '/_ping') {
        return { statusCode: 200, headers: { 'api-version': '1.41' }, body: dumpable(Readable.from([Buffer.from('OK')])) };
      }
      if (call.body !== undefined && call.body !== null && typeof call.body === 'object' && Symbol.asyncIterator in call.body) {
        for await (const chunk of call.body as AsyncIterable<unknown>) void chunk;
      }
      const body = dumpable(new Readable({ read() {} }));
      for (const line of firstLines) body.push(`${JSON.stringify(line)}\r\n`);
      if (ending === 'reset') {
        setTimeout(() => body.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })), 10);
      } else {
        call.signal?.addEventListener('abort', () => body.destroy(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true });
      }
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body };
    },
  };
  const transport = fakeTransport(dispatcher);
  return new ImageCollection({ client: createEngineClient({ transport, environment: {} }), environment: { DOCKER_CONFIG: '/nonexistent/berth' } });
}

async function failureOf(promise: PromiseLike<unknown>): Promise<unknown> {
  return Promise.resolve(promise).then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

const outputsOf = (log: readonly { type: string }[]) => log.filter((event) => event.type === 'output').length;

describe('regression: a transport failure during a build is not hidden in a BuildError (BuildError documented a connection cause)', () => {
  it('a connection dropped mid-build rejects with the transport error itself; the log stays on the operation', async () => {
    const building = engineThatStops('reset').build({ file: Buffer.from('context'), customContext: true });
    const error = await failureOf(building);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toBeInstanceOf(SocketClosedError);
    expect(error).not.toBeInstanceOf(BuildError);
    expect(outputsOf(building.log)).toBe(firstLines.length);
  });

  it('an aborted build rejects with AbortedError itself, so instanceof stays the abort check', async () => {
    const controller = new AbortController();
    const building = engineThatStops('hang').build({ file: Buffer.from('context'), customContext: true, signal: controller.signal });
    // Abort once the first lines have arrived.
    for await (const event of building) {
      if (event.type === 'output' && outputsOf(building.log) === firstLines.length) break;
    }
    controller.abort();
    const error = await failureOf(building);
    expect(error).toBeInstanceOf(AbortedError);
    expect(error).not.toBeInstanceOf(BuildError);
    expect(outputsOf(building.log)).toBe(firstLines.length);
  });
});
