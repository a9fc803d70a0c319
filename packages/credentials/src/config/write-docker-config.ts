import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, realpath, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DockerConfigError } from '../errors/docker-config-error.js';
import { configFilePath } from './config-paths.js';
import { isPlainObject } from './parse-auth-entries.js';
import { parseJsonText } from './parse-config-text.js';

/**
 * The new `auths` entry of one registry.
 *
 * @example
 * ```ts
 * const entry: StoredAuthEntry = { registry: 'localhost:5000', username: 'me', password: 'pw' };
 * ```
 */
export interface StoredAuthEntry {
  /** Registry key, as the CLI files it (`https://index.docker.io/v1/` or `host[:port]`). */
  readonly registry: string;
  /** User name. */
  readonly username: string;
  /** Password; left out of the file when an identity token is stored instead. */
  readonly password?: string | undefined;
  /** Identity token from the login, stored in place of the password. */
  readonly identityToken?: string | undefined;
}

async function resolveTarget(path: string): Promise<string> {
  // Write through a symlinked config.json (dotfile managers) instead of replacing the link.
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

/**
 * Files credentials in `config.json` as `docker login` does: `auths[registry] = {auth:
 * base64("user:password")}`, or `{auth: base64("user:"), identitytoken}` when the registry gave
 * an identity token. Every other key of the file, and the entry's `email`, is kept. The write
 * is atomic (a temporary file in the same directory, fsync, rename) and the file ends up with
 * mode 0600; the directory is created with mode 0700 when missing. A malformed existing file is
 * left untouched and reported with a `DockerConfigError`.
 *
 * @example
 * ```ts
 * await storeInConfigFile('/home/me/.docker', { registry: 'localhost:5000', username: 'me', password: 'pw' });
 * ```
 */
export async function storeInConfigFile(configDirectory: string, entry: StoredAuthEntry): Promise<string> {
  const path = configFilePath(configDirectory);
  await mkdir(configDirectory, { recursive: true, mode: 0o700 });
  const target = await resolveTarget(path);

  let document: Record<string, unknown> = {};
  try {
    const parsed = parseJsonText(await readFile(target, 'utf8'), target);
    if (!isPlainObject(parsed)) throw new DockerConfigError(`${target} must hold a JSON object; not overwriting it.`, { source: target });
    document = parsed;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      if (error instanceof DockerConfigError) throw error;
      throw new DockerConfigError(`Cannot read the Docker config file ${target} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).`, {
        source: target,
        cause: error,
      });
    }
  }

  const auths = isPlainObject(document['auths']) ? { ...document['auths'] } : {};
  const previous = auths[entry.registry];
  const stored: Record<string, unknown> = {
    auth: Buffer.from(`${entry.username}:${entry.identityToken ? '' : (entry.password ?? '')}`, 'utf8').toString('base64'),
  };
  if (isPlainObject(previous) && typeof previous['email'] === 'string') stored['email'] = previous['email'];
  if (entry.identityToken) stored['identitytoken'] = entry.identityToken;
  auths[entry.registry] = stored;
  document['auths'] = auths;

  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(document, null, '\t')}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The umask cannot widen 0600, but a pre-set ACL default might: insist.
    await chmod(temporary, 0o600);
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw new DockerConfigError(`Cannot write the Docker config file ${target} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).`, {
      source: target,
      cause: error,
    });
  }
  return target;
}
