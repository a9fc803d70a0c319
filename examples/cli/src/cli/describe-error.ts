import { BuildError } from '@berth/images';
import {
  AbortedError,
  BerthError,
  ConnectionError,
  EngineError,
  InvalidArgumentError,
  NotFoundError,
  StreamMessageError,
  TimeoutError,
} from '@berth/engine-protocol';
import { redactUrl } from '@berth/engine-protocol/internal';
import { CliError } from './cli-error.js';

/** Where the CLI talks to, for the "cannot connect" line. */
export interface ErrorContext {
  readonly engineAddress: string | undefined;
}

/**
 * One line for an error, worded like the docker CLI's (`Error response from daemon: …`,
 * `Cannot connect to the Docker daemon at …`). Only short messages are used: Berth's errors
 * never carry secrets, and the long forms (request lines, details) are for debugging.
 */
export function describeError(error: unknown, context: ErrorContext): string {
  if (error instanceof CliError) return error.message;
  if (error instanceof AbortedError) return 'canceled';
  if (error instanceof ConnectionError) {
    // The address may be the raw DOCKER_HOST or -H value (createDocker failed before resolving
    // it), credentials included: shown redacted.
    const address = context.engineAddress === undefined ? 'the configured address' : redactUrl(context.engineAddress);
    return `Cannot connect to the Docker daemon at ${address}. Is the docker daemon running?`;
  }
  if (error instanceof TimeoutError) return `timed out: ${firstLine(error.shortMessage)}`;
  if (error instanceof BuildError) return `ERROR: ${firstLine(error.engineMessage ?? error.shortMessage)}`;
  if (error instanceof NotFoundError) return `Error response from daemon: ${firstLine(error.engineMessage)}`;
  if (error instanceof EngineError) return `Error response from daemon: ${firstLine(error.engineMessage)}`;
  if (error instanceof StreamMessageError) return firstLine(error.engineMessage);
  if (error instanceof InvalidArgumentError) return `invalid argument: ${firstLine(error.shortMessage)}`;
  if (error instanceof BerthError) return firstLine(error.shortMessage);
  if (error instanceof Error) return firstLine(error.message);
  return String(error);
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
