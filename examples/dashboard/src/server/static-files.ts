import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { HttpError } from './http-helpers.js';

const types: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/** Sends one file of the page (a known name in a known folder: no path from the request is joined). */
export async function sendFile(response: ServerResponse, folder: URL, name: string): Promise<void> {
  if (!/^[a-z][a-z0-9-]*\.(?:html|css|js)$/.test(name)) throw new HttpError(404, 'Not found.');
  const content = await readFile(new URL(name, folder)).catch(() => {
    throw new HttpError(404, 'Not found.');
  });
  response.writeHead(200, {
    'Content-Type': types[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream',
    'Cache-Control': 'no-cache',
    'Content-Security-Policy': "default-src 'self'; style-src 'self'; img-src 'self' data:",
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(content);
}
