import { createInterface } from 'node:readline';
import type { CommandContext } from './command.js';

/** Reads one line from stdin (a confirmation, a user name); `undefined` at end of input. */
export async function readLine(context: CommandContext, prompt: string): Promise<string | undefined> {
  context.stderr.write(prompt);
  const lines = createInterface({ input: context.stdin, terminal: false });
  try {
    const iterator = lines[Symbol.asyncIterator]();
    const aborted = new Promise<never>((_, reject) => {
      context.signal.addEventListener('abort', () => reject(context.signal.reason), { once: true });
    });
    const next = await Promise.race([iterator.next(), aborted]);
    return next.done ? undefined : next.value;
  } finally {
    lines.close();
  }
}

/** Reads all of stdin as text (`--password-stdin`), without the final line end. */
export async function readAll(context: CommandContext): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of context.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
