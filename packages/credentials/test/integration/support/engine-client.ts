import { createEngineClient, type EngineClient, type JsonMessage, type JsonMessageStream } from '@berth/engine-protocol';
// undici comes with @berth/engine-protocol; @berth/transport-unix is not a dependency of this package.
import { Agent } from 'undici';

/** An engine client over the harness's Unix socket, with the transport built inline. */
export function unixEngineClient(socketPath: string): EngineClient {
  const agent = new Agent({ connect: { socketPath } });
  return createEngineClient({
    transport: {
      type: 'unix',
      description: `unix://${socketPath}`,
      origin: 'http://localhost',
      dispatcher: agent,
      close: () => agent.close(),
    },
    environment: {},
  });
}

/** Reads a progress stream to its end (a stream error is thrown from here). */
export async function drain(stream: JsonMessageStream): Promise<JsonMessage[]> {
  const messages: JsonMessage[] = [];
  for await (const message of stream) messages.push(message);
  return messages;
}
