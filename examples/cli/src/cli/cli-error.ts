/**
 * A failure the CLI reports as one line and an exit code, like the docker CLI: 125 for a bad
 * flag (docker's code for its own usage errors), 1 for everything else.
 */
export class CliError extends Error {
  override name = 'CliError';
  readonly exitCode: number;
  /** Extra lines after the message (a usage hint). */
  readonly hint: string | undefined;

  constructor(message: string, options: { exitCode?: number; hint?: string } = {}) {
    super(message);
    this.exitCode = options.exitCode ?? 1;
    this.hint = options.hint;
  }
}

/** Exit code of an operation stopped by Ctrl-C (128 + SIGINT), as a shell reports it. */
export const interruptedExitCode = 130;
