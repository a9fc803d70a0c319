/**
 * Where progress is drawn: `process.stderr` or `process.stdout`, or any object with `write`. A
 * terminal (`isTTY`) gets the live view; its `columns` and `rows` bound the drawing, and its
 * `resize` events are followed.
 *
 * @example
 * ```ts
 * const output: TerminalOutput = process.stderr;
 * ```
 */
export interface TerminalOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
  readonly rows?: number | undefined;
  on?(event: 'resize', listener: () => void): unknown;
  off?(event: 'resize', listener: () => void): unknown;
}

/**
 * How progress is shown:
 * - `tty`: redrawn in place (bars, a live step view), colours unless `NO_COLOR`;
 * - `plain`: one line per change of state, no escape codes, no byte counts: for CI logs and
 *   pipes (BuildKit steps as `--progress=plain` prints them);
 * - `quiet`: nothing;
 * - `auto`: `tty` on a terminal whose `TERM` is not `dumb`, else `plain`.
 *
 * @example
 * ```ts
 * const mode: ProgressMode = process.env.CI ? 'plain' : 'auto';
 * ```
 */
export type ProgressMode = 'auto' | 'tty' | 'plain' | 'quiet';

/**
 * The mode `auto` stands for on this output and environment.
 *
 * @example
 * ```ts
 * resolveProgressMode('auto', process.stderr, process.env); // 'tty' in a terminal, 'plain' in a pipe
 * ```
 */
export function resolveProgressMode(
  mode: ProgressMode,
  output: TerminalOutput,
  environment: Readonly<Record<string, string | undefined>>,
): 'tty' | 'plain' | 'quiet' {
  if (mode !== 'auto') return mode;
  return output.isTTY === true && environment['TERM'] !== 'dumb' ? 'tty' : 'plain';
}

/**
 * Whether to colour: only when drawing live (`tty`) and `NO_COLOR` is unset or empty
 * (no-color.org).
 *
 * @example
 * ```ts
 * colorWanted('tty', { NO_COLOR: '1' }); // false
 * ```
 */
export function colorWanted(mode: 'tty' | 'plain' | 'quiet', environment: Readonly<Record<string, string | undefined>>): boolean {
  return mode === 'tty' && !environment['NO_COLOR'] && environment['TERM'] !== 'dumb';
}
