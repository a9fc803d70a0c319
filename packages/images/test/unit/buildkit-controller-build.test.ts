// The several-platform path: the frontend options made from build parameters, and the build
// progress presented like the engine's build stream, against a scripted controller.
import type { BuildkitController, SolveRequestFields } from '@berth/buildkit';
import { AbortedError, InvalidArgumentError, StreamMessageError, type JsonMessage } from '@berth/engine-protocol';
import { describe, expect, it } from 'vitest';
import { controllerBuildMessages } from '../../src/build/controller-build-messages.js';
import { frontendAttributesOf } from '../../src/build/frontend-attributes.js';
import { parseProgressEvent } from '../../src/index.js';

function controller(script: {
  statuses?: Uint8Array[];
  solve?: (request: SolveRequestFields, signal?: AbortSignal) => Promise<Record<string, string>>;
}): BuildkitController & { requests: SolveRequestFields[] } {
  const requests: SolveRequestFields[] = [];
  return {
    requests,
    solve: async (request, signal) => {
      requests.push(request);
      return script.solve ? script.solve(request, signal) : { 'containerimage.digest': 'sha256:index' };
    },
    async *status() {
      for (const status of script.statuses ?? []) yield status;
    },
    close: () => undefined,
  };
}

async function collect(messages: AsyncIterable<JsonMessage>): Promise<JsonMessage[]> {
  const all: JsonMessage[] = [];
  for await (const message of messages) all.push(message);
  return all;
}

describe('frontendAttributesOf', () => {
  it('maps build parameters to the Dockerfile frontend options as the engine does for POST /build', () => {
    expect(
      frontendAttributesOf(
        {
          target: 'app',
          buildargs: { A: '1' },
          labels: { team: 'core' },
          nocache: true,
          pull: '1',
          networkmode: 'host',
          extrahosts: ['db:10.0.0.2'],
          shmsize: 1024,
          cachefrom: ['r/app:cache', 'r/app:other'],
        },
        'app.Dockerfile',
        ['linux/amd64', { os: 'linux', architecture: 'arm64', variant: 'v8' }],
      ),
    ).toEqual({
      filename: 'app.Dockerfile',
      target: 'app',
      'build-arg:A': '1',
      'label:team': 'core',
      'no-cache': '',
      'image-resolve-mode': 'pull',
      platform: 'linux/amd64,linux/arm64/v8',
      'force-network-mode': 'host',
      'add-hosts': 'db=10.0.0.2',
      'shm-size': '1024',
      'cache-from': 'r/app:cache,r/app:other',
    });
    expect(() => frontendAttributesOf({ networkmode: 'bridge' }, undefined, [])).toThrow(InvalidArgumentError);
  });
});

describe('controllerBuildMessages', () => {
  it('yields each status as a moby.buildkit.trace message, then the image id of an image export', async () => {
    // A StatusResponse with one log: {3: {1: "v", 3: 1, 4: "hi\n"}}.
    const status = Uint8Array.from(Buffer.from('1a0a0a01761801220368690a', 'hex'));
    const scripted = controller({ statuses: [status, status] });
    const messages = await collect(controllerBuildMessages(scripted, { session: 's', frontend: 'dockerfile.v0', frontendAttributes: {}, exporter: { type: 'moby' } }, {}));
    expect(messages.map((message) => message.id)).toEqual(['moby.buildkit.trace', 'moby.buildkit.trace', 'moby.image.id']);
    expect(messages.at(-1)?.aux).toEqual({ ID: 'sha256:index' });
    const event = parseProgressEvent(messages[0] as JsonMessage);
    expect(event.type === 'buildkit-status' ? event.status.logs[0]?.text : undefined).toBe('hi\n');
    expect(scripted.requests[0]?.ref).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("throws BuildKit's message as a StreamMessageError when the solve fails", async () => {
    const scripted = controller({ solve: async () => Promise.reject(new Error('failed to solve: exporting multiple references to image store is currently unsupported')) });
    await expect(collect(controllerBuildMessages(scripted, { session: 's', frontend: 'dockerfile.v0', frontendAttributes: {} }, {}))).rejects.toSatisfy(
      (error: unknown) => error instanceof StreamMessageError && error.engineMessage.includes('multiple references'),
    );
  });

  it('cancels the solve on abort and rejects with AbortedError', async () => {
    const abort = new AbortController();
    let seenSignal: AbortSignal | undefined;
    const scripted = controller({
      solve: (_request, signal) =>
        new Promise((_resolve, reject) => {
          seenSignal = signal;
          signal?.addEventListener('abort', () => reject(new Error('cancelled')));
        }),
    });
    const running = collect(controllerBuildMessages(scripted, { session: 's', frontend: 'dockerfile.v0', frontendAttributes: {} }, { signal: abort.signal }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    abort.abort();
    await expect(running).rejects.toBeInstanceOf(AbortedError);
    expect(seenSignal?.aborted).toBe(true);
  });
});
