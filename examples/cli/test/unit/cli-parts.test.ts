import { AbortedError, ConnectionError, EngineError, StreamMessageError } from '@berth/engine-protocol';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/cli-error.js';
import { describeError } from '../../src/cli/describe-error.js';
import { parseCommand } from '../../src/cli/parse-command.js';
import { commands } from '../../src/commands/index.js';
import { formatTable } from '../../src/format/table.js';
import { timeAgo } from '../../src/format/time-ago.js';

const build = commands.find((command) => command.name === 'build')!;

describe('argument parsing', () => {
  it('reads repeatable flags, short forms and the context argument', () => {
    const parsed = parseCommand('berth-images', build, ['-t', 'a:1', '--tag', 'b:2', '--build-arg', 'X=1', '-f', 'Other.Dockerfile', '.']);
    expect(parsed).toEqual({ values: { tag: ['a:1', 'b:2'], 'build-arg': ['X=1'], file: 'Other.Dockerfile' }, positionals: ['.'] });
  });

  it('refuses an unknown flag as a usage error (125) with a hint', () => {
    const error = (() => {
      try {
        parseCommand('berth-images', build, ['--nope', '.']);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ exitCode: 125, hint: "See 'berth-images build --help'." });
    expect((error as CliError).message).toContain("'--nope'");
  });

  it('refuses a wrong number of arguments (1), like docker', () => {
    expect(() => parseCommand('berth-images', build, [])).toThrow('"berth-images build" requires exactly 1 argument.');
    expect(parseCommand('berth-images', build, ['--help'])).toBe('help');
  });
});

describe('error lines', () => {
  const request = { method: 'GET', path: '/v1.41/images/x/json', headers: {} };
  it('words each kind of failure in one line, like the docker CLI', () => {
    expect(describeError(new ConnectionError('connect ENOENT /x.sock', {}), { engineAddress: 'unix:///x.sock' })).toBe(
      'Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?',
    );
    expect(describeError(new EngineError({ status: 500, engineMessage: 'boom\nsecond line', request }), { engineAddress: undefined })).toBe('Error response from daemon: boom');
    expect(describeError(new StreamMessageError('no basic auth credentials', {}), { engineAddress: undefined })).toBe('no basic auth credentials');
    expect(describeError(new AbortedError('aborted'), { engineAddress: undefined })).toBe('canceled');
  });

  it('shows the engine address without its credentials (a raw DOCKER_HOST or -H value)', () => {
    for (const engineAddress of ['tcp://me:pa/ss@127.0.0.1:2376', 'ssh://me:p@ss@127.0.0.1', 'me:pa?ss@127.0.0.1:2375']) {
      const line = describeError(new ConnectionError('connect ECONNREFUSED', {}), { engineAddress });
      expect(line).toMatch(/^Cannot connect to the Docker daemon at .*\[redacted\]@127\.0\.0\.1/);
      expect(line).not.toMatch(/pa\/ss|p@ss|pa\?ss/);
    }
  });
});

describe('formatting', () => {
  it('pads table columns three spaces apart', () => {
    expect(formatTable(['A', 'LONGER'], [['xx', 'y'], ['x', 'yy']])).toBe('A    LONGER\nxx   y\nx    yy\n');
  });

  it('says how long ago like docker', () => {
    const now = new Date('2024-01-10T00:00:00Z');
    expect(timeAgo(new Date('2024-01-09T23:59:30Z'), now)).toBe('30 seconds ago');
    expect(timeAgo(new Date('2024-01-09T23:59:00Z'), now)).toBe('About a minute ago');
    expect(timeAgo(new Date('2024-01-09T21:00:00Z'), now)).toBe('3 hours ago');
    expect(timeAgo(new Date('2023-12-20T00:00:00Z'), now)).toBe('3 weeks ago');
  });
});
