import { InvalidArgumentError } from '@berth/engine-protocol';
import { describeValue } from '@berth/engine-protocol/internal';
import type { ProgressRendererOptions } from './progress-renderer.js';

const kinds: ReadonlySet<unknown> = new Set(['pull', 'push', 'load', 'save', 'build']);
const modes: ReadonlySet<unknown> = new Set(['auto', 'tty', 'plain', 'quiet']);

/**
 * Checks the options of `createProgressRenderer` (a mistake fails at creation, not as a strange
 * drawing later): `InvalidArgumentError` naming the option.
 *
 * @example
 * ```ts fragment
 * checkRendererOptions({ kind: 'pull', redrawIntervalMs: -1 }); // throws InvalidArgumentError (redrawIntervalMs)
 * ```
 */
export function checkRendererOptions(options: ProgressRendererOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(`createProgressRenderer needs an options object, got ${describeValue(options)}.`, { argument: 'options' });
  }
  const { kind, mode, color, redrawIntervalMs, logLinesPerStep, output, transferLabel, now } = options;
  if (!kinds.has(kind)) {
    throw new InvalidArgumentError(`kind must be one of pull, push, load, save, build; got ${describeValue(kind)}.`, { argument: 'kind' });
  }
  if (mode !== undefined && !modes.has(mode)) {
    throw new InvalidArgumentError(`mode must be one of auto, tty, plain, quiet; got ${describeValue(mode)}.`, { argument: 'mode' });
  }
  if (color !== undefined && typeof color !== 'boolean') {
    throw new InvalidArgumentError(`color must be a boolean, got ${describeValue(color)}.`, { argument: 'color' });
  }
  if (redrawIntervalMs !== undefined && (typeof redrawIntervalMs !== 'number' || !Number.isFinite(redrawIntervalMs) || redrawIntervalMs < 0)) {
    throw new InvalidArgumentError(`redrawIntervalMs must be a number of milliseconds, 0 or more; got ${describeValue(redrawIntervalMs)}.`, {
      argument: 'redrawIntervalMs',
    });
  }
  if (logLinesPerStep !== undefined && (typeof logLinesPerStep !== 'number' || !Number.isSafeInteger(logLinesPerStep) || logLinesPerStep < 0)) {
    throw new InvalidArgumentError(`logLinesPerStep must be a whole number, 0 or more; got ${describeValue(logLinesPerStep)}.`, {
      argument: 'logLinesPerStep',
    });
  }
  if (output !== undefined && (typeof output !== 'object' || output === null || typeof output.write !== 'function')) {
    throw new InvalidArgumentError(`output must have a write method (process.stderr, a stream), got ${describeValue(output)}.`, { argument: 'output' });
  }
  if (transferLabel !== undefined && typeof transferLabel !== 'string') {
    throw new InvalidArgumentError(`transferLabel must be a string, got ${describeValue(transferLabel)}.`, { argument: 'transferLabel' });
  }
  if (now !== undefined && typeof now !== 'function') {
    throw new InvalidArgumentError(`now must be a function returning milliseconds, got ${describeValue(now)}.`, { argument: 'now' });
  }
}
