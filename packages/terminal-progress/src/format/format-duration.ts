/**
 * A duration as the BuildKit display prints it: `0.0s`, `12.3s`, `2m 5.0s`.
 *
 * @example
 * ```ts
 * formatDuration(125_000); // '2m 5.0s'
 * ```
 */
export function formatDuration(milliseconds: number): string {
  const tenths = Math.floor(Math.max(0, milliseconds) / 100);
  const minutes = Math.floor(tenths / 600);
  const seconds = (tenths % 600) / 10;
  return minutes > 0 ? `${minutes}m ${seconds.toFixed(1)}s` : `${seconds.toFixed(1)}s`;
}
