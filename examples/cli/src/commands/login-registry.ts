import { login } from '@berth/credentials';
import { CliError } from '../cli/cli-error.js';
import { flag, stringValue, type CommandContext, type CommandDefinition } from '../cli/command.js';
import { readAll, readLine } from '../cli/read-line.js';

/** Reads a password on a terminal without echoing it. */
async function readHidden(context: CommandContext, prompt: string): Promise<string> {
  const input = context.stdin;
  context.stderr.write(prompt);
  input.setRawMode?.(true);
  try {
    return await new Promise<string>((resolve, reject) => {
      let text = '';
      const onData = (chunk: Buffer | string): void => {
        for (const character of chunk.toString()) {
          // Enter, or Ctrl-D (end of input, which raw mode hands over as a character) ends it.
          if (character === '\r' || character === '\n' || character === '\u0004') return done(() => resolve(text));
          if (character === '\u0003') return done(() => reject(new CliError('canceled', { exitCode: 130 })));
          if (character === '\u007f' || character === '\b') text = text.slice(0, -1);
          else text += character;
        }
      };
      const onEnd = (): void => done(() => resolve(text));
      const done = (finish: () => void): void => {
        input.off('data', onData);
        input.off('end', onEnd);
        context.stderr.write('\n');
        finish();
      };
      input.on('data', onData);
      input.once('end', onEnd);
    });
  } finally {
    input.setRawMode?.(false);
    (input as { pause?: () => void }).pause?.();
  }
}

export const loginCommand: CommandDefinition = {
  name: 'login',
  usage: 'login [OPTIONS] [SERVER]',
  summary: 'Log in to a registry (credentials are checked by the engine and stored like docker login does)',
  arguments: { min: 0, max: 1 },
  options: {
    username: { type: 'string', short: 'u', description: 'Username' },
    password: { type: 'string', short: 'p', description: 'Password (insecure: prefer --password-stdin)' },
    'password-stdin': { type: 'boolean', description: 'Take the password from stdin' },
  },
  async run(context, parsed) {
    const server = parsed.positionals[0];
    let username = stringValue(parsed, 'username');
    let password = stringValue(parsed, 'password');
    if (password !== undefined && flag(parsed, 'password-stdin')) throw new CliError('--password and --password-stdin are mutually exclusive', { exitCode: 125 });
    if (flag(parsed, 'password-stdin')) {
      if (username === undefined) throw new CliError('Must provide --username with --password-stdin', { exitCode: 125 });
      password = await readAll(context);
    } else if (password !== undefined) {
      context.stderr.write('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
    }
    const interactive = context.stdin.isTTY === true;
    if (username === undefined) {
      if (!interactive) throw new CliError('Cannot perform an interactive login from a non TTY device');
      username = (await readLine(context, 'Username: '))?.trim();
    }
    if (password === undefined) {
      if (!interactive) throw new CliError('Cannot perform an interactive login from a non TTY device');
      password = await readHidden(context, 'Password: ');
    }
    if (!username || !password) throw new CliError('Error: Username and password are required');
    const docker = await context.docker();
    const result = await login(
      docker.client,
      { username, password, store: true, environment: context.environment, ...(server === undefined ? {} : { serveraddress: server }) },
      { signal: context.signal },
    );
    context.stdout.write(`${result.status}\n`);
  },
};
