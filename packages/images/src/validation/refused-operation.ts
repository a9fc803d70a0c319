import { ProgressOperation } from '../progress/progress-operation.js';

/**
 * Runs a method's argument check; when it throws, returns an operation that is already
 * rejected with that error (methods returning a {@link ProgressOperation} reject on bad
 * arguments, like on any other failure, rather than throw), else `undefined`.
 * @internal
 */
export function refusedOperation(check: () => void): ProgressOperation<never> | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return new ProgressOperation<never>(() => Promise.reject(error));
  }
}
