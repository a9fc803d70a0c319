import { afterEach, describe, expect, it } from 'vitest';
import { unaryHandler, type GrpcHandler, type GrpcServerCall } from '../../src/grpc/grpc-server.js';
import { GrpcStatus, GrpcStatusError } from '../../src/grpc/grpc-status.js';
import { healthMethods } from '../../src/services/health-service.js';
import { startGrpcPeer, type GrpcPeer } from './support/grpc-peer.js';

let peer: GrpcPeer | undefined;
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

async function collect(iterable: AsyncIterable<Uint8Array>): Promise<Buffer[]> {
  const all: Buffer[] = [];
  for await (const item of iterable) all.push(Buffer.from(item));
  return all;
}

describe('GrpcServer on node:http2', () => {
  it('answers a unary health check with SERVING and status OK', async () => {
    peer = await startGrpcPeer(healthMethods());
    const call = peer.open('/grpc.health.v1.Health/Check');
    call.send(new Uint8Array(0));
    call.end();
    expect((await collect(call.replies())).map((reply) => reply.toString('hex'))).toEqual(['0801']);
    expect(await call.status()).toEqual({ code: 0, message: '' });
  });

  it('answers an unknown method UNIMPLEMENTED without replies', async () => {
    peer = await startGrpcPeer(healthMethods());
    const call = peer.open('/moby.filesync.v1.Auth/FetchToken');
    call.send(new Uint8Array(0));
    call.end();
    expect(await collect(call.replies())).toEqual([]);
    expect(await call.status()).toEqual({ code: GrpcStatus.unimplemented, message: 'unknown method /moby.filesync.v1.Auth/FetchToken' });
  });

  it('ends with the status a handler throws, its message encoded and decoded intact; other errors are UNKNOWN', async () => {
    peer = await startGrpcPeer({
      '/t.T/NotFound': unaryHandler(() => undefined, async () => {
        throw new GrpcStatusError(GrpcStatus.notFound, 'secret «npmrc» 100% missing');
      }),
      '/t.T/Broken': async () => {
        throw new Error('disk full');
      },
    });
    const notFound = peer.open('/t.T/NotFound');
    notFound.send(new Uint8Array(0));
    notFound.end();
    expect(await notFound.status()).toEqual({ code: GrpcStatus.notFound, message: 'secret «npmrc» 100% missing' });
    const broken = peer.open('/t.T/Broken');
    broken.end();
    expect(await broken.status()).toEqual({ code: GrpcStatus.unknown, message: 'disk full' });
  });

  it('streams many messages both ways in order, with backpressure', async () => {
    const echo: GrpcHandler = async (call) => {
      for await (const message of call.messages()) await call.send(message);
    };
    peer = await startGrpcPeer({ '/t.T/Echo': echo });
    const call = peer.open('/t.T/Echo');
    const sent = Array.from({ length: 3_000 }, (_value, index) => Buffer.alloc(1_000 + (index % 7), index % 251));
    const replies = collect(call.replies());
    for (const message of sent) call.send(message);
    call.end();
    const received = await replies;
    expect(received).toHaveLength(sent.length);
    expect(received.every((message, index) => message.equals(sent[index] as Buffer))).toBe(true);
    expect((await call.status()).code).toBe(0);
  });

  it('ends a call cleanly when the handler stops reading before the engine stops sending (no RST_STREAM)', async () => {
    // fsutil's sender returns on FIN while the receiver still has its side open.
    peer = await startGrpcPeer({
      '/t.T/First': async (call) => {
        for await (const message of call.messages()) {
          await call.send(message);
          return;
        }
      },
    });
    const call = peer.open('/t.T/First');
    call.send(Buffer.from('one'));
    const replies = collect(call.replies());
    await new Promise((resolve) => setTimeout(resolve, 50));
    call.send(Buffer.from('two'));
    call.end();
    expect((await replies).map(String)).toEqual(['one']);
    expect(await call.status()).toEqual({ code: 0, message: '' });
    expect(call.stream.rstCode).toBe(0);
  });

  it("aborts the handler's signal when the engine cancels the call", async () => {
    let seen: GrpcServerCall | undefined;
    let aborted!: () => void;
    const abortedOnce = new Promise<void>((resolve) => (aborted = resolve));
    peer = await startGrpcPeer({
      '/t.T/Wait': async (call) => {
        seen = call;
        // A long piece of work (an SSH agent, a file read) that only the signal interrupts.
        await new Promise((_resolve, reject) => call.signal.addEventListener('abort', () => (aborted(), reject(call.signal.reason))));
      },
    });
    const call = peer.open('/t.T/Wait');
    call.send(Buffer.from('x'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    call.stream.close(8); // RST_STREAM CANCEL, as grpc-go sends when a context ends
    await abortedOnce;
    expect(seen?.signal.aborted).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(peer.server.activeCalls).toBe(0);
  });

  it('hands every value of a repeated metadata key to the handler', async () => {
    let metadata: ReadonlyMap<string, readonly string[]> | undefined;
    peer = await startGrpcPeer({
      '/t.T/Meta': async (call) => {
        metadata = call.metadata;
      },
    });
    const call = peer.open('/t.T/Meta', { 'exclude-patterns': ['a, b', 'c'], 'dir-name': 'context' });
    call.end();
    await call.status();
    expect(metadata?.get('exclude-patterns')).toEqual(['a, b', 'c']);
    expect(metadata?.get('dir-name')).toEqual(['context']);
  });
});
