import { stat } from 'node:fs/promises';

/**
 * Whether `path` names an existing file (not a directory). Other errors than "missing" are
 * treated as existing so that reading the file later reports them precisely.
 *
 * @example
 * ```ts
 * if (await fileExists('/home/me/.docker/cert.pem')) console.log('client certificate found');
 * ```
 */
export async function fileExists(path: string): Promise<boolean> {
  try {
    return !(await stat(path)).isDirectory();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return !(code === 'ENOENT' || code === 'ENOTDIR');
  }
}
