// Test helper: sends a build context straight to the harness engine (POST /build, classic
// builder) and returns the image id, or throws with the engine's error.
import { request } from 'node:http';
import type { Readable } from 'node:stream';

export async function engineBuild(
  socketPath: string,
  parameters: { body: Readable; dockerfile: string; tag: string },
): Promise<string> {
  const query = new URLSearchParams({ dockerfile: parameters.dockerfile, t: parameters.tag, networkmode: 'none', q: '1', version: '1', rm: '1' });
  const reply = await new Promise<string>((resolve, reject) => {
    const outgoing = request(
      { socketPath, method: 'POST', path: `/v1.41/build?${query}`, headers: { 'content-type': 'application/x-tar' } },
      (incoming) => {
        let text = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => (text += chunk));
        incoming.on('end', () => (incoming.statusCode === 200 ? resolve(text) : reject(new Error(`HTTP ${incoming.statusCode}: ${text}`))));
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    parameters.body.on('error', (error) => outgoing.destroy(error));
    parameters.body.pipe(outgoing);
  });
  let imageId: string | undefined;
  for (const line of reply.split(/\r?\n/u)) {
    if (line.trim() === '') continue;
    const message = JSON.parse(line) as { error?: string; aux?: { ID?: string }; stream?: string };
    if (message.error !== undefined) throw new Error(`The engine refused the build: ${message.error}`);
    imageId = message.aux?.ID ?? (message.stream?.trim().startsWith('sha256:') ? message.stream.trim() : imageId);
  }
  if (imageId === undefined) throw new Error(`The engine reported no image id: ${reply}`);
  return imageId;
}
