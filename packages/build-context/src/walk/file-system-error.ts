// Turns a failed file-system call on a context file into the typed error callers handle.
import { InvalidArgumentError } from '@berth/engine-protocol';

/**
 * The error code of a Node file-system error (`EACCES`, `ENOENT`, …), if any.
 *
 * @example
 * ```ts
 * await readdir(path).catch((error) => { if (errorCode(error) === 'ENOENT') return []; throw error; });
 * ```
 */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * An `InvalidArgumentError` (argument `contextPath`) naming the context file or directory
 * that could not be read, with the file-system error as cause.
 *
 * @example
 * ```ts
 * throw unreadableContextPathError('/src/app/secret.key', 'file', error);
 * ```
 */
export function unreadableContextPathError(path: string, kind: 'file' | 'directory', cause: unknown): InvalidArgumentError {
  const code = errorCode(cause);
  const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(cause));
  return new InvalidArgumentError(`Cannot read ${kind} "${path}" of the build context: ${reason}.`, {
    argument: 'contextPath',
    cause,
  });
}
