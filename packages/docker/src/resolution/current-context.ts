import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { jsonSyntaxLocationSuffix } from '@berth/engine-protocol/internal';

/**
 * The `currentContext` of `<configDirectory>/config.json` (set by `docker context use`), or
 * `undefined` when the file or the field is missing or empty. A file that is not JSON is an
 * `InvalidArgumentError` naming the file, line and column but never quoting it (config.json
 * holds credentials): guessing would risk talking to the wrong engine.
 *
 * @example
 * ```ts
 * const name = await readCurrentContext('/home/me/.docker'); // 'remote' or undefined
 * ```
 */
export async function readCurrentContext(configDirectory: string): Promise<string | undefined> {
  const path = join(configDirectory, 'config.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new InvalidArgumentError(`Cannot read the Docker configuration file ${path}.`, { argument: 'DOCKER_CONFIG', cause: error });
  }
  let config: unknown;
  try {
    config = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    // No cause and no quote: V8's SyntaxError message holds a slice of the file, and
    // config.json holds base64 passwords. Only the position is reported.
    throw new InvalidArgumentError(`The Docker configuration file ${path} is not valid JSON${jsonSyntaxLocationSuffix(text)}.`, {
      argument: 'DOCKER_CONFIG',
      details:
        'Fix the file, or choose the engine explicitly (host option, DOCKER_HOST or DOCKER_CONTEXT). The content is not shown because it may hold passwords.',
    });
  }
  const current = typeof config === 'object' && config !== null ? (config as Record<string, unknown>)['currentContext'] : undefined;
  if (current === undefined || current === null || current === '') return undefined;
  if (typeof current !== 'string') {
    throw new InvalidArgumentError(`currentContext in ${path} is not a string.`, { argument: 'currentContext' });
  }
  return current.trim() === '' ? undefined : current.trim();
}
