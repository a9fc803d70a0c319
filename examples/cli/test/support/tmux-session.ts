// Runs a command in a real pseudo-terminal: a tmux session on a private server socket, read back
// with capture-pane (what a user sees) and driven with send-keys (Ctrl-C).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const exitMarker = '__berth_exit=';

export class TmuxSession {
  readonly #socket = join(tmpdir(), `ex-tmux-${randomBytes(4).toString('hex')}.sock`);
  readonly #environment: NodeJS.ProcessEnv;

  /** Starts `command` (argv) in a `columns`×`rows` terminal; the pane stays after it exits, with its exit code shown. */
  constructor(command: readonly string[], options: { columns?: number; rows?: number; environment: NodeJS.ProcessEnv; cwd: string }) {
    this.#environment = { ...options.environment, TERM: 'xterm-256color' };
    const quoted = command.map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
    // The shell traps SIGINT (a trap, unlike an ignored signal, is not inherited), so Ctrl-C
    // reaches the command without ending the shell that reports its exit code.
    const script = `trap : INT; ${quoted}; echo "${exitMarker}$?"; sleep 600`;
    this.#tmux(['-f', '/dev/null', 'new-session', '-d', '-x', String(options.columns ?? 100), '-y', String(options.rows ?? 40), '-c', options.cwd, 'sh', '-c', script]);
  }

  /** The screen, trailing blanks dropped (colours are not captured). */
  screen(): string[] {
    const text = this.#tmux(['capture-pane', '-p', '-t', '0']);
    const lines = text.split('\n').map((line) => line.replace(/\s+$/, ''));
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return lines;
  }

  /** The exit code once the command ended, else `undefined`. */
  exitCode(): number | undefined {
    const line = this.screen().find((candidate) => candidate.startsWith(exitMarker));
    return line === undefined ? undefined : Number(line.slice(exitMarker.length));
  }

  /** The screen without the exit marker line. */
  output(): string[] {
    return this.screen().filter((line) => !line.startsWith(exitMarker));
  }

  /** Sends keys, e.g. `C-c`. */
  sendKeys(...keys: string[]): void {
    this.#tmux(['send-keys', '-t', '0', ...keys]);
  }

  /** Polls the screen until `predicate` holds; throws with the screen after `timeoutMs`. */
  async waitFor(predicate: (screen: string[]) => boolean, timeoutMs: number, what: string): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (predicate(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}. Screen:\n${screen.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Waits for the command to end and gives its exit code. */
  async waitForExit(timeoutMs: number): Promise<number> {
    await this.waitFor(() => this.exitCode() !== undefined, timeoutMs, 'the command to exit');
    return this.exitCode() as number;
  }

  close(): void {
    try {
      this.#tmux(['kill-server']);
    } catch {
      // already gone
    }
    rmSync(this.#socket, { force: true });
  }

  #tmux(args: readonly string[]): string {
    return execFileSync('tmux', ['-S', this.#socket, ...args], { env: this.#environment, encoding: 'utf8' });
  }
}
