import type { IncomingMessage, ServerResponse } from 'node:http';
import { BerthError, ConflictError, ConnectionError, EngineError, InvalidArgumentError, NotFoundError, StreamMessageError } from '@berth/engine-protocol';

/** A failure with the HTTP status to answer it with. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(text);
}

/**
 * The status and the one-line message the page shows for an error. Berth's short messages carry
 * no secrets; the engine's own words are kept, as the docker CLI shows them.
 */
export function errorReply(error: unknown, engineAddress: string): { status: number; message: string } {
  if (error instanceof HttpError) return { status: error.status, message: error.message };
  if (error instanceof ConnectionError) return { status: 503, message: `Cannot connect to the Docker daemon at ${engineAddress}. Is the docker daemon running?` };
  if (error instanceof NotFoundError) return { status: 404, message: error.engineMessage };
  if (error instanceof ConflictError) return { status: 409, message: error.engineMessage };
  if (error instanceof EngineError) return { status: 502, message: `Error response from daemon: ${error.engineMessage}` };
  if (error instanceof StreamMessageError) return { status: 502, message: error.engineMessage };
  if (error instanceof InvalidArgumentError) return { status: 400, message: error.shortMessage };
  if (error instanceof BerthError) return { status: 500, message: error.shortMessage };
  return { status: 500, message: error instanceof Error ? error.message : String(error) };
}

/** Reads a small JSON body (at most 64 KiB). */
export async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 65_536) throw new HttpError(413, 'The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'The request body must be a JSON object.');
  }
}

/** A required non-empty string field of a JSON body. */
export function requiredText(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '') throw new HttpError(400, `${field} is required.`);
  return value.trim();
}
