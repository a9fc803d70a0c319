import type { ProgressKind, ProgressMode, RenderProgressOptions } from '@berth/terminal-progress';
import { AbortedError } from '@berth/engine-protocol';
import { CliError } from './cli-error.js';
import { flag, stringValue, type CommandContext, type OptionSpec, type ParsedCommand } from './command.js';

/** `--progress` and `-q`, shared by the commands that show progress. */
export const progressFlags: Readonly<Record<string, OptionSpec>> = {
  progress: { type: 'string', description: 'Progress output: auto, tty, plain or quiet (default auto: live on a terminal)' },
  quiet: { type: 'boolean', short: 'q', description: 'Show no progress' },
};

const modes: readonly ProgressMode[] = ['auto', 'tty', 'plain', 'quiet'];

/** Renderer options for a command's progress, drawn on `where` (stdout like docker pull, stderr like buildx). */
export function progressOptions(context: CommandContext, parsed: ParsedCommand, kind: ProgressKind, where: 'stdout' | 'stderr'): RenderProgressOptions {
  const requested = stringValue(parsed, 'progress') ?? 'auto';
  if (!modes.includes(requested as ProgressMode)) {
    throw new CliError(`invalid --progress ${JSON.stringify(requested)}: use auto, tty, plain or quiet`, { exitCode: 125 });
  }
  return {
    kind,
    output: context[where],
    mode: flag(parsed, 'quiet') ? 'quiet' : (requested as ProgressMode),
    environment: context.environment,
    isCancellation: (error) => error instanceof AbortedError,
  };
}
