/**
 * Colour helpers; all of them return the text unchanged when colour is off.
 *
 * @example
 * ```ts
 * const style = createStyle(true);
 * console.log(style.red('failed'));
 * ```
 */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  cyan(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;

/**
 * The colour helpers, on or off.
 *
 * @example
 * ```ts
 * createStyle(false).bold('x'); // 'x'
 * ```
 */
export function createStyle(enabled: boolean): Style {
  if (!enabled) {
    const same = (text: string) => text;
    return { enabled, bold: same, dim: same, red: same, green: same, yellow: same, blue: same, cyan: same };
  }
  return {
    enabled,
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    blue: wrap(34, 39),
    cyan: wrap(36, 39),
  };
}
