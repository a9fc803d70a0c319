import { readFileSync } from 'node:fs';
import { decodeJsonMessages } from '@berth/engine-protocol';
import { parseProgressEvent, type ProgressEvent } from '@berth/images';

/**
 * The typed events of a recorded reply body of @berth/images' test fixtures (see the README
 * there for how and where each was recorded): one copy for both packages.
 */
export async function fixtureEvents(name: string): Promise<ProgressEvent[]> {
  const bytes = readFileSync(new URL(`../../../images/test/fixtures/${name}`, import.meta.url));
  const events: ProgressEvent[] = [];
  for await (const message of decodeJsonMessages((async function* () { yield bytes; })(), { raiseOnError: false })) {
    events.push(parseProgressEvent(message));
  }
  return events;
}
