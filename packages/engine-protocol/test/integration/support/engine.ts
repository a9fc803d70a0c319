import { Agent } from 'undici';
import { pack } from 'tar-stream';
import { findTestEngine, type TestEngine } from '@berth/test-engine';
import { createEngineClient, type EngineClient, type JsonMessage } from '../../../src/index.js';

export const engine: TestEngine | undefined = findTestEngine();

/**
 * A client over the harness engine's Unix socket. The protocol package may not depend on a
 * transport package (they depend on it), so this builds the transport inline, as any user can.
 */
export function createClient(options: { apiVersion?: string } = {}): { client: EngineClient; agent: Agent } {
  if (!engine) throw new Error('no test engine');
  const agent = new Agent({ connect: { socketPath: engine.socketPath } });
  const client = createEngineClient({
    transport: { type: 'unix', description: engine.dockerHost, origin: 'http://localhost', dispatcher: agent, close: () => agent.close() },
    environment: {},
    ...options,
  });
  return { client, agent };
}

/** A tar of the given files, as a build context. */
export async function tarOf(files: Record<string, string>): Promise<Buffer> {
  const archive = pack();
  for (const [name, content] of Object.entries(files)) archive.entry({ name }, content);
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads a progress stream to its end. */
export async function drain(messages: AsyncIterable<JsonMessage>): Promise<JsonMessage[]> {
  const all: JsonMessage[] = [];
  for await (const message of messages) all.push(message);
  return all;
}

/** A unique lowercase name for this run. */
export function unique(prefix: string): string {
  return `berth-protocol-it/${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}
