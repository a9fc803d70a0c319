// review 1: the job wrote every snapshot to every subscriber whatever its socket buffer held, so a
// page that stopped reading (a background tab, a slow link) made the server buffer without bound.
// A real HTTP server and a client socket that does not read.
import { createServer, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { ProgressOperation, type Image, type ProgressEvent } from '@berth/images';
import { describe, expect, it } from 'vitest';
import { Job } from '../../src/server/jobs.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('snapshots to a subscriber that does not read', () => {
  it('are skipped while its buffer is full, and it still gets the last one', { timeout: 30_000 }, async () => {
    const events = 30;
    const operation = new ProgressOperation<Image>(async (emit) => {
      for (let index = 0; index < events; index++) {
        // Status lines are kept (the last 100), so each snapshot is bigger than the last.
        emit({ type: 'status', status: `${index} ${'x'.repeat(100_000)}`, raw: {} } as ProgressEvent);
        await sleep(100);
      }
      return { id: 'sha256:feed', tags: ['app:1'] } as unknown as Image;
    });
    let response: ServerResponse | undefined;
    let job: Job | undefined;
    const server = createServer((_request, reply) => {
      response = reply;
      job = new Job('pull', 'app:1', new AbortController(), operation, String);
      job.subscribe(reply);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client: Socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    try {
      client.write('GET /jobs/x/events HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
      client.pause(); // reads nothing from here on
      let mostBuffered = 0;
      while (job === undefined || response === undefined) await sleep(10);
      const running = job;
      const watching = (async () => {
        while (!response?.writableEnded) {
          mostBuffered = Math.max(mostBuffered, response?.writableLength ?? 0);
          await sleep(20);
        }
      })();
      // ~46 MB of snapshots in all (one is at most 3 MB); the kernel's socket buffers take a few MB.
      await sleep(events * 100 + 500);
      expect(mostBuffered).toBeLessThan(12_000_000);
      // Reading again, the page gets the final state.
      let received = '';
      client.setEncoding('utf8');
      client.on('data', (chunk: string) => (received += chunk));
      client.resume();
      await running.finished;
      await watching;
      // The chunked body's last chunk: the response is complete.
      for (let waited = 0; !received.endsWith('\r\n0\r\n\r\n') && waited < 10_000; waited += 20) await sleep(20);
      const frames = received.split('\n\n').filter((frame) => frame.includes('event: snapshot'));
      const last = JSON.parse((frames.at(-1) ?? '').split('data: ')[1] ?? 'null') as { state: string; image: { id: string } | null };
      expect(last.state).toBe('done');
      expect(last.image?.id).toBe('sha256:feed');
    } finally {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
