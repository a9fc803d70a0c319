// Build sessions on the real engine: the engine keeps a session alive through its health checks,
// forgets it once closed, and a client's close() ends it. Runs over BERTH_TEST_TRANSPORT.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage, EngineError, type EngineClient, type JsonMessage } from '@berth/engine-protocol';
import { findTestEngine } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDirectory, openBuildSession } from '../../src/index.js';
import { createTestClient } from './support/client.js';

const engine = findTestEngine();

async function drain(messages: AsyncIterable<JsonMessage>): Promise<JsonMessage[]> {
  const all: JsonMessage[] = [];
  for await (const message of messages) all.push(message);
  return all;
}

describe.runIf(engine)('build sessions on the real engine', () => {
  let client: EngineClient;
  let workspace: string;
  beforeAll(async () => {
    client = createTestClient(engine!);
    workspace = await mkdtemp(join(tmpdir(), 'berth-sessions-'));
  });
  afterAll(async () => {
    await client?.close();
    await rm(workspace, { recursive: true, force: true });
  });

  // The two slow tests wait on the engine's 5-second health-check ticker: run them side by side.
  it.concurrent('stays alive through the health checks: a secret asked for after 12 s is still served', async () => {
    await writeFile(
      join(workspace, 'Dockerfile'),
      `FROM ${engine!.seedImage}\nARG NONCE\nRUN sleep 12\nRUN --mount=type=secret,id=late,required=true cat /run/secrets/late\n`,
    );
    const directory = await localDirectory(workspace);
    const session = await openBuildSession(client, { directories: { context: directory, dockerfile: directory }, secrets: { late: { value: 'served-late' } } });
    try {
      const messages = await drain(
        await buildImage(client, {
          version: '2',
          session: session.id,
          remote: 'client-session',
          dockerfile: 'Dockerfile',
          networkmode: 'none',
          buildargs: { NONCE: randomUUID() },
        }),
      );
      expect(messages.some((message) => message.id === 'moby.image.id')).toBe(true);
      expect(session.statistics.secretRequests).toEqual(['late']);
    } finally {
      await session.close();
    }
  }, 90_000);

  it.concurrent('is forgotten by the engine once closed: its id can be used again', async () => {
    const id = `berth-${randomUUID()}`;
    const first = await openBuildSession(client, { id });
    // While it is open, the engine refuses a second session with that id.
    const duplicate = await openBuildSession(client, { id }).then(
      async (session) => {
        await session.close();
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(duplicate).toBeInstanceOf(EngineError);
    expect((duplicate as EngineError).engineMessage).toContain('already exists');
    await first.close();
    expect(first.isClosed).toBe(true);
    // The engine drops a session when its health check fails twice in a row on the closed
    // connection, checking every 5 s: within about 10 s.
    const closedAt = Date.now();
    let again;
    for (let attempt = 0; again === undefined; attempt++) {
      again = await openBuildSession(client, { id }).catch((error: unknown) => {
        if (Date.now() - closedAt > 20_000) throw error;
        return undefined;
      });
      if (again === undefined) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(Date.now() - closedAt).toBeLessThan(20_000);
    await again.close();
  }, 40_000);

  it("ends with the client's close()", async () => {
    const own = createTestClient(engine!);
    const session = await openBuildSession(own, {});
    expect(session.isClosed).toBe(false);
    await own.close();
    await session.closed;
    expect(session.isClosed).toBe(true);
  }, 30_000);
});
