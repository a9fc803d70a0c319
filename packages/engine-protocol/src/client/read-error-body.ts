const maxErrorBodyBytes = 64 * 1024;

/**
 * Reads an error reply's body (at most 64 KiB) and extracts the engine's message:
 * `{"message": …}` usually, plain text sometimes, an HTML page from a proxy now and then.
 */
export async function readErrorMessage(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.byteLength;
      if (size >= maxErrorBodyBytes) break;
    }
  } catch {
    // A body that breaks off still leaves us the status; keep what arrived.
  }
  return extractEngineMessage(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Extracts the message from an error body's text.
 *
 * @example
 * ```ts
 * extractEngineMessage('{"message":"conflict"}'); // 'conflict'
 * extractEngineMessage('<html><title>502 Bad Gateway</title></html>'); // '502 Bad Gateway'
 * ```
 */
export function extractEngineMessage(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as { message?: unknown };
      if (typeof parsed.message === 'string') return parsed.message;
    } catch {
      // Not JSON after all: fall through to text handling.
    }
  }
  if (/^<(!doctype|html)/i.test(trimmed)) {
    const title = /<title>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
    return title ? `HTML reply: ${title}` : 'HTML reply (not from the engine?)';
  }
  return trimmed.length > 500 ? `${trimmed.slice(0, 500)}…` : trimmed;
}
