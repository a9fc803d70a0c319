import { createDocker, type Docker } from '@berth/docker';
import { CliError, interruptedExitCode } from './cli-error.js';
import type { CommandContext, CommandDefinition } from './command.js';
import { describeError } from './describe-error.js';
import { commandHelp, parseCommand } from './parse-command.js';

export const programName = 'berth-images';

/** What the CLI runs with: the process's streams and environment, or a test's. */
export interface CliEnvironment {
  readonly stdout: CommandContext['stdout'];
  readonly stderr: CommandContext['stderr'];
  readonly stdin: CommandContext['stdin'];
  readonly environment: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly signal: AbortSignal;
}

interface GlobalOptions {
  host?: string;
  context?: string;
}

function globalHelp(commands: readonly CommandDefinition[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    `Usage:  ${programName} [OPTIONS] COMMAND`,
    '',
    'Manage images of a Docker engine, docker-style, with Berth.',
    '',
    'Options:',
    '  -H, --host string      Daemon socket to connect to (default: DOCKER_HOST, the current context, or /var/run/docker.sock)',
    '  -c, --context string   Name of the context to use (overrides DOCKER_CONTEXT)',
    '  -h, --help             Print usage',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}   ${command.summary}`),
    '',
    `Run '${programName} COMMAND --help' for more information on a command.`,
    '',
  ].join('\n');
}

/** Reads `-H`/`--host` and `-c`/`--context` in front of the command name, like docker. */
function parseGlobals(args: readonly string[]): { globals: GlobalOptions; rest: string[]; help: boolean } {
  const globals: GlobalOptions = {};
  let index = 0;
  let help = false;
  while (index < args.length && (args[index] ?? '').startsWith('-')) {
    const argument = args[index] as string;
    const [name, inline] = argument.includes('=') ? [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)] : [argument, undefined];
    if (name === '-h' || name === '--help') {
      help = true;
      index += 1;
      continue;
    }
    const key = name === '-H' || name === '--host' ? 'host' : name === '-c' || name === '--context' ? 'context' : undefined;
    if (key === undefined) throw new CliError(`unknown flag: ${name}`, { exitCode: 125, hint: `See '${programName} --help'.` });
    const value = inline ?? args[index + 1];
    if (value === undefined) throw new CliError(`flag needs an argument: ${name}`, { exitCode: 125, hint: `See '${programName} --help'.` });
    globals[key] = value;
    index += inline === undefined ? 2 : 1;
  }
  return { globals, rest: args.slice(index), help };
}

/**
 * Runs one `berth-images` command line and resolves to its exit code: 0, 1 for a failure (one
 * line on stderr), 125 for a usage error, 130 when interrupted. Never throws.
 */
export async function runCli(args: readonly string[], environment: CliEnvironment, commands: readonly CommandDefinition[]): Promise<number> {
  let docker: Docker | undefined;
  let opening: Promise<Docker> | undefined;
  let engineAddress: string | undefined = environment.environment['DOCKER_HOST'];
  try {
    const { globals, rest, help } = parseGlobals(args);
    if (globals.host !== undefined) engineAddress = globals.host;
    const [name, ...commandArgs] = rest;
    if (name === undefined || help) {
      (help ? environment.stdout : environment.stderr).write(globalHelp(commands));
      return help ? 0 : 1;
    }
    const command = commands.find((candidate) => candidate.name === name || candidate.aliases?.includes(name));
    if (command === undefined) throw new CliError(`unknown command: ${programName} ${name}`, { hint: `See '${programName} --help'.` });
    const parsed = parseCommand(programName, command, commandArgs);
    if (parsed === 'help') {
      environment.stdout.write(commandHelp(programName, command));
      return 0;
    }
    const context: CommandContext = {
      ...environment,
      docker: () =>
        (opening ??= createDocker({
          environment: environment.environment,
          userAgent: `${programName} (berth)`,
          ...(globals.host === undefined ? {} : { host: globals.host }),
          ...(globals.context === undefined ? {} : { context: globals.context }),
        }).then((created) => {
          docker = created;
          if (created.endpoint.kind !== 'custom') engineAddress = created.endpoint.dockerHost;
          return created;
        })),
    };
    await command.run(context, parsed);
    return 0;
  } catch (error) {
    if (environment.signal.aborted) {
      environment.stderr.write('canceled\n');
      return interruptedExitCode;
    }
    const line = describeError(error, { engineAddress });
    if (line !== '') environment.stderr.write(`${line}\n`);
    if (error instanceof CliError && error.hint !== undefined) environment.stderr.write(`${error.hint}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  } finally {
    await docker?.close();
  }
}
