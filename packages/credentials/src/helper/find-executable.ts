import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * Looks a program up on a PATH string the way a shell does (first executable regular file wins;
 * empty and relative entries are skipped, so nothing is run from the working directory). On
 * Windows each `PATHEXT` extension is tried too. Resolves to `undefined` when not found.
 *
 * @example
 * ```ts
 * const path = await findExecutable('docker-credential-pass', process.env);
 * ```
 */
export async function findExecutable(
  program: string,
  environment: Readonly<Record<string, string | undefined>>,
): Promise<string | undefined> {
  const searchPath = environment['PATH'] ?? environment['Path'] ?? '';
  const extensions =
    process.platform === 'win32' ? ['', ...(environment['PATHEXT'] ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)] : [''];
  for (const directory of searchPath.split(delimiter)) {
    if (directory === '' || !isAbsolute(directory)) continue;
    for (const extension of extensions) {
      const candidate = join(directory, program + extension);
      try {
        if (!(await stat(candidate)).isFile()) continue;
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not here (or not executable): keep looking, as a shell would.
      }
    }
  }
  return undefined;
}
