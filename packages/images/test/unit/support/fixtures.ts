import { readFileSync } from 'node:fs';
import { decodeJsonMessages, type JsonMessage } from '@berth/engine-protocol';

/** Raw bytes of a recorded reply body in test/fixtures. */
export function readFixture(name: string): Buffer {
  return readFileSync(new URL(`../../fixtures/${name}`, import.meta.url));
}

/** The messages of a recorded progress stream, error messages included. */
export async function fixtureMessages(name: string): Promise<JsonMessage[]> {
  const messages: JsonMessage[] = [];
  const bytes = readFixture(name);
  const source = (async function* () {
    yield bytes;
  })();
  for await (const message of decodeJsonMessages(source, { raiseOnError: false })) messages.push(message);
  return messages;
}

/** Serializes messages back into a wire body (`\r\n` after each). */
export function toBody(messages: readonly JsonMessage[]): string {
  return messages.map((message) => `${JSON.stringify(message)}\r\n`).join('');
}
