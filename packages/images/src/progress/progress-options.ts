import type { ProgressOperationOptions } from './progress-operation.js';

/**
 * The {@link ProgressOperationOptions} among a method's options, without undefined values
 * (the options type is exact).
 * @internal
 */
export function progressOptions(options: { readonly bufferLimit?: number | undefined; readonly logLimit?: number | undefined }): ProgressOperationOptions {
  return {
    ...(options.bufferLimit === undefined ? {} : { bufferLimit: options.bufferLimit }),
    ...(options.logLimit === undefined ? {} : { logLimit: options.logLimit }),
  };
}
