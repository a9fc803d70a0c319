// The floor of a progress decoder in JavaScript: split on \r\n, JSON.parse each line. Not
// robust (characters cut across chunks, glued objects, in-stream errors all break it or pass
// unnoticed), which is why it is a floor and not a contender to copy.
import { decodeInput } from './io.mjs';
import { fail, readTask, reportResult, since } from './task.mjs';

const task = readTask();
try {
  const { chunks } = decodeInput(task);
  const start = process.hrtime.bigint();
  let buffered = '';
  let messages = 0;
  for (const chunk of chunks) {
    buffered += chunk.toString('utf8');
    const parts = buffered.split('\r\n');
    buffered = parts.pop() ?? '';
    for (const part of parts) if (part.length > 0 && JSON.parse(part)) messages++;
  }
  if (buffered.length > 0 && JSON.parse(buffered)) messages++;
  reportResult(task, { opMs: since(start), messages });
} catch (error) {
  fail(error);
}
