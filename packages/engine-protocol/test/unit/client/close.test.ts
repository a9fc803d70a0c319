import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  TimeoutError,
  ClientClosedError,
  InvalidArgumentError,
  inspectImage,
  listImages,
  loadImages,
  ping,
  pullImage,
  saveImages,
} from '../../../src/index.js';
import { CLIENT_CLOSED_CODE } from '../../../src/internal.js';
import { eventually, outcomeOf, settlesWithin } from '@berth/test-engine';
import { startLoopbackEngine } from '../support/loopback-engine.js';

// close() with calls in flight (issue 8, failure 2): before, close() waited for every call and
// a stalled one kept it pending forever.

const hangs = () => true;

describe('close() ends calls in flight', () => {
  it('ends a stalled request, a stalled body and a stalled upload at once, with ClientClosedError, and releases the sockets', async () => {
    const engine = await startLoopbackEngine((request, response) => {
      if (request.url?.includes('/images/stalled/json')) return hangs();
      if (request.url?.includes('/images/create')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"status":"Pulling from x"}\r\n');
        return hangs();
      }
      if (request.url?.includes('/images/load')) {
        // Reads a little, then stops reading for a while (long enough for close() to act; then
        // it reads again, so that the server side notices the client is gone).
        request.once('data', () => {
          request.pause();
          setTimeout(() => request.resume(), 300);
        });
        return hangs();
      }
      if (request.url?.includes('/images/json')) {
        response.writeHead(200, { 'content-type': 'application/json' }).end('[]');
        return true;
      }
      return undefined;
    }, { apiVersion: '1.45' });
    try {
      const inspecting = outcomeOf(inspectImage(engine.client, { name: 'stalled' }));
      const pulling = outcomeOf((async () => {
        for await (const message of await pullImage(engine.client, { fromImage: 'x', tag: 'latest' })) void message;
      })());
      const endless = new Readable({ read() { this.push(Buffer.alloc(64 * 1024)); } });
      const loading = outcomeOf((async () => {
        for await (const message of await loadImages(engine.client, { body: endless })) void message;
      })());
      await eventually(() => engine.seen.length === 3, 'the three calls reached the engine');
      await new Promise((resolve) => setTimeout(resolve, 50));

      await settlesWithin(engine.client.close(), 'close() with three stalled calls in flight');
      for (const outcome of await Promise.all([inspecting, pulling, loading])) {
        expect(outcome.error).toBeInstanceOf(ClientClosedError);
        expect((outcome.error as ClientClosedError).code).toBe(CLIENT_CLOSED_CODE);
      }
      await eventually(() => engine.openConnections() === 0, 'the engine side saw every connection close');
      expect(endless.destroyed).toBe(true);
    } finally {
      await engine.stop();
    }
  });

  it('ends a save whose caller is not reading, and a stalled shared negotiation', async () => {
    const engine = await startLoopbackEngine((request, response) => {
      if (request.url === '/_ping') return hangs();
      return undefined;
    });
    try {
      const waiting = [outcomeOf(listImages(engine.client)), outcomeOf(ping(engine.client)), outcomeOf(engine.client.apiVersion())];
      await eventually(() => engine.seen.length === 2, 'the shared ping and the ping() call reached the engine');
      await settlesWithin(engine.client.close(), 'close() during a stalled negotiation');
      for (const outcome of await Promise.all(waiting)) expect(outcome.error).toBeInstanceOf(ClientClosedError);
      await eventually(() => engine.openConnections() === 0, 'the engine side saw every connection close');
    } finally {
      await engine.stop();
    }

    const saving = await startLoopbackEngine((request, response) => {
      if (request.url?.includes('/get')) {
        response.writeHead(200, { 'content-type': 'application/x-tar' });
        response.write(Buffer.alloc(512));
        return hangs();
      }
      return undefined;
    }, { apiVersion: '1.45' });
    try {
      const archive = await saveImages(saving.client, { names: 'app' });
      await saving.client.close();
      const reading = await outcomeOf((async () => {
        for await (const chunk of archive) void chunk;
      })());
      expect(reading.error).toBeInstanceOf(ClientClosedError);
      await eventually(() => saving.openConnections() === 0, 'the save connection closed');
    } finally {
      await saving.stop();
    }
  });

  it('is idempotent, and every call after close() rejects with ClientClosedError before sending', async () => {
    const engine = await startLoopbackEngine(() => undefined, { apiVersion: '1.45' });
    try {
      const first = engine.client.close();
      expect(engine.client.close()).toBe(first);
      await first;
      await engine.client.close();
      const after = await outcomeOf(listImages(engine.client));
      expect(after.error).toBeInstanceOf(ClientClosedError);
      expect((after.error as Error).message).toContain('GET /images/json');
      await expect(engine.client.apiVersion()).rejects.toBeInstanceOf(ClientClosedError);
      expect(engine.seen).toEqual([]);
    } finally {
      await engine.stop();
    }
  });

  it('graceful: lets calls in flight finish, serves their follow-ups, then closes', async () => {
    let answer: (() => void) | undefined;
    const engine = await startLoopbackEngine((request, response) => {
      if (request.url?.includes('/images/slow/json')) {
        answer = () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"Id":"sha256:1"}');
        return true;
      }
      if (request.url?.includes('/images/json')) {
        response.writeHead(200, { 'content-type': 'application/json' }).end('[]');
        return true;
      }
      return undefined;
    }, { apiVersion: '1.45' });
    try {
      // An "operation" of two requests: the second starts right after the first ends.
      const operation = inspectImage(engine.client, { name: 'slow' }).then(() => listImages(engine.client));
      await eventually(() => answer !== undefined, 'the slow inspect reached the engine');
      const closing = engine.client.close({ graceful: true, timeout: 5_000 });
      answer?.();
      await expect(operation).resolves.toEqual([]);
      await closing;
      await expect(listImages(engine.client)).rejects.toBeInstanceOf(ClientClosedError);
    } finally {
      await engine.stop();
    }
  });

  it('graceful: ends calls still running at the deadline; an immediate close() cuts the wait short', async () => {
    const engine = await startLoopbackEngine((request) => (request.url?.includes('/images/') ? hangs() : undefined), { apiVersion: '1.45' });
    try {
      let ended = false;
      const stalled = outcomeOf(inspectImage(engine.client, { name: 'stalled' }).finally(() => (ended = true)));
      await eventually(() => engine.seen.length === 1, 'the stalled inspect reached the engine');
      const closing = engine.client.close({ graceful: true, timeout: 100 });
      // A graceful close leaves the call running (an immediate one would end it in this turn).
      await new Promise((resolve) => setImmediate(resolve));
      expect(ended).toBe(false);
      await settlesWithin(closing, 'a graceful close with a 100 ms deadline');
      expect((await stalled).error).toBeInstanceOf(ClientClosedError);

      const other = await startLoopbackEngine((request) => (request.url?.includes('/images/') ? hangs() : undefined), { apiVersion: '1.45' });
      try {
        const pending = outcomeOf(inspectImage(other.client, { name: 'stalled' }));
        await eventually(() => other.seen.length === 1, 'the stalled inspect reached the engine');
        const graceful = other.client.close({ graceful: true, timeout: 0 }); // no deadline
        await new Promise((resolve) => setTimeout(resolve, 20));
        await other.client.close(); // now
        await settlesWithin(graceful, 'a graceful close without a deadline, cut short by close()');
        expect((await pending).error).toBeInstanceOf(ClientClosedError);
      } finally {
        await other.stop();
      }
    } finally {
      await engine.stop();
    }
  });

  it('refuses nonsense close options', async () => {
    const engine = await startLoopbackEngine(() => undefined);
    try {
      await expect(engine.client.close({ graceful: 'yes' as unknown as boolean })).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(engine.client.close({ graceful: true, timeout: -1 })).rejects.toBeInstanceOf(InvalidArgumentError);
      // review 1: a timeout without graceful was checked, then ignored (the close was immediate).
      for (const options of [{ timeout: 5_000 }, { graceful: false, timeout: 5_000 }]) {
        const refused = await outcomeOf(engine.client.close(options));
        expect(refused.error).toBeInstanceOf(InvalidArgumentError);
        expect((refused.error as InvalidArgumentError).argument).toBe('timeout');
        expect((refused.error as Error).message).toContain('graceful: true');
      }
      // Refused options leave the client open.
      expect(await engine.client.apiVersion()).toBe('1.45');
    } finally {
      await engine.client.close();
      await engine.stop();
    }
  });

  it('abandons a stalled shared negotiation once every caller gave up (it no longer runs 30 s for nobody)', async () => {
    let pings = 0;
    const engine = await startLoopbackEngine((request, response) => {
      if (request.url !== '/_ping') return undefined;
      pings += 1;
      if (pings === 1) return hangs();
      response.writeHead(200, { 'api-version': '1.44' }).end('OK');
      return true;
    });
    try {
      const first = outcomeOf(listImages(engine.client, {}, { timeout: 100 }));
      const controller = new AbortController();
      const second = outcomeOf(listImages(engine.client, {}, { signal: controller.signal }));
      await eventually(() => pings === 1, 'the shared ping reached the engine');
      controller.abort();
      expect((await first).error).toBeInstanceOf(TimeoutError);
      expect((await second).error).toBeInstanceOf(AbortedError);
      // The ping's connection is released long before the negotiation's own 30 s deadline.
      await eventually(() => engine.openConnections() === 0, 'the abandoned ping released its connection');
      // The next call negotiates afresh.
      expect(await engine.client.apiVersion()).toBe('1.44');
      expect(pings).toBe(2);
      // Nothing is left in flight: a graceful close without a deadline has nothing to wait for.
      await settlesWithin(engine.client.close({ graceful: true, timeout: 0 }), 'a graceful close with nothing in flight');
    } finally {
      await engine.client.close();
      await engine.stop();
    }
  });
});
