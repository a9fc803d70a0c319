import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cli-error.js';
import type { CommandDefinition, ParsedCommand } from './command.js';

/**
 * Parses a command's arguments with node's `parseArgs`; a bad flag is a usage error (exit 125)
 * and a wrong number of arguments an error (exit 1), both with docker's hint line.
 */
export function parseCommand(program: string, command: CommandDefinition, args: readonly string[]): ParsedCommand | 'help' {
  const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, spec] of Object.entries(command.options)) {
    options[name] = { type: spec.type, ...(spec.short === undefined ? {} : { short: spec.short }), ...(spec.multiple ? { multiple: true } : {}) };
  }
  const hint = `See '${program} ${command.name} --help'.`;
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
    throw new CliError(message.replace(/\. To specify a positional argument.*$/, ''), { exitCode: 125, hint });
  }
  if (parsed.values['help'] === true) return 'help';
  const count = parsed.positionals.length;
  const { min, max } = command.arguments;
  if (count < min || count > max) {
    const wanted = min === max ? `exactly ${min}` : max === Number.POSITIVE_INFINITY ? `at least ${min}` : `at most ${max}`;
    const plural = (min === max ? min : max === Number.POSITIVE_INFINITY ? min : max) === 1 ? 'argument' : 'arguments';
    throw new CliError(`"${program} ${command.name}" requires ${wanted} ${plural}.`, { hint: `${hint}\n\nUsage:  ${program} ${command.usage}` });
  }
  return { values: parsed.values as ParsedCommand['values'], positionals: parsed.positionals };
}

/** `--help` text of a command. */
export function commandHelp(program: string, command: CommandDefinition): string {
  const lines = [`Usage:  ${program} ${command.usage}`, '', command.summary, ''];
  const entries = Object.entries(command.options);
  if (entries.length > 0) {
    lines.push('Options:');
    const labels = entries.map(([name, spec]) => `${spec.short === undefined ? '    ' : `-${spec.short}, `}--${name}${spec.type === 'string' ? ' string' : ''}`);
    const width = Math.max(...labels.map((label) => label.length));
    entries.forEach(([, spec], index) => lines.push(`  ${(labels[index] ?? '').padEnd(width)}   ${spec.description}`));
  }
  return `${lines.join('\n')}\n`;
}
