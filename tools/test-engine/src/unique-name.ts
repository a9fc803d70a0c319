/**
 * A name unique to this test run, for images and tags: `berth-it/<prefix>-<random>`.
 *
 * @example
 * ```ts
 * const repository = `${engine.registry}/${uniqueName('push')}`; // 127.0.0.1:PORT/berth-it/push-lx3k9a1b2c3
 * ```
 */
export function uniqueName(prefix: string): string {
  return `berth-it/${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
