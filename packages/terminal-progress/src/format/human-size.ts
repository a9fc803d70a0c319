const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/**
 * Bytes as the docker CLI prints them: decimal units, four significant digits (`36.41kB`,
 * `1.501MB`, `1.5MB`, `512B`).
 *
 * @example
 * ```ts
 * humanSize(1_500_641); // '1.501MB'
 * ```
 */
export function humanSize(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 ? String(Math.round(value)) : String(Number(value.toPrecision(4)));
  return `${digits}${units[unit]}`;
}
