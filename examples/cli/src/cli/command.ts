import type { Docker } from '@berth/docker';

/** One flag of a command. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /** Shown in `--help`. */
  readonly description: string;
}

/** What a command gets to work with. */
export interface CommandContext {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean | undefined; readonly columns?: number | undefined; readonly rows?: number | undefined };
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean | undefined; readonly columns?: number | undefined; readonly rows?: number | undefined };
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean | undefined; setRawMode?: (mode: boolean) => unknown };
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** The working directory, for relative paths. */
  readonly cwd: string;
  /** Aborted by Ctrl-C: pass it to every call, so the engine cancels what runs. */
  readonly signal: AbortSignal;
  /** The engine connection, opened on first use (resolved like the docker CLI). */
  docker(): Promise<Docker>;
}

/** Parsed flags and arguments of one command. */
export interface ParsedCommand {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/** A subcommand of `berth-images`. */
export interface CommandDefinition {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** `pull [OPTIONS] NAME[:TAG|@DIGEST]` */
  readonly usage: string;
  readonly summary: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** How many arguments it takes. */
  readonly arguments: { readonly min: number; readonly max: number };
  run(context: CommandContext, parsed: ParsedCommand): Promise<void>;
}

/** Reads a string flag. */
export function stringValue(parsed: ParsedCommand, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Reads a repeatable string flag. */
export function listValue(parsed: ParsedCommand, name: string): string[] {
  const value = parsed.values[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

/** Reads a boolean flag. */
export function flag(parsed: ParsedCommand, name: string): boolean {
  return parsed.values[name] === true;
}
