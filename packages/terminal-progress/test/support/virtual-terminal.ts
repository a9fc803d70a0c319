// A small terminal emulator for the escape codes the renderer writes (cursor up, carriage
// return, erase line, erase below, colours, cursor visibility), to read the screen a user would
// see after every write. Lines longer than the width are recorded, since a real terminal would
// wrap them and the redraw would lose count.
import { EventEmitter } from 'node:events';

export class VirtualTerminal extends EventEmitter {
  readonly isTTY = true;
  columns: number;
  rows: number;
  readonly writes: string[] = [];
  readonly overlongLines: string[] = [];
  cursorVisible = true;
  #lines: string[] = [''];
  #row = 0;
  #column = 0;

  constructor(columns = 100, rows = 40) {
    super();
    this.columns = columns;
    this.rows = rows;
  }

  write(text: string): boolean {
    this.writes.push(text);
    const pattern = /\x1b\[(\??)([0-9;]*)([A-Za-z])|\r|\n|[^\x1b\r\n]+/g;
    for (const match of text.matchAll(pattern)) {
      const token = match[0];
      if (token === '\r') this.#column = 0;
      else if (token === '\n') {
        this.#row += 1;
        this.#column = 0;
        while (this.#lines.length <= this.#row) this.#lines.push('');
      } else if (token.startsWith('\x1b')) this.#escape(match[1] ?? '', match[2] ?? '', match[3] ?? '');
      else this.#print(token);
    }
    return true;
  }

  /** The whole screen (with scrollback), colours removed, trailing blank lines dropped. */
  screen(): string[] {
    const lines = this.#lines.map((line) => line.replace(/\s+$/, ''));
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return lines;
  }

  /** Everything written, as one string. */
  raw(): string {
    return this.writes.join('');
  }

  #escape(privateMarker: string, parameter: string, command: string): void {
    const count = parameter === '' ? 1 : Number(parameter);
    if (privateMarker === '?' && parameter === '25') {
      this.cursorVisible = command === 'h';
      return;
    }
    switch (command) {
      case 'A':
        this.#row = Math.max(0, this.#row - count);
        break;
      case 'K':
        this.#lines[this.#row] = '';
        break;
      case 'J':
        this.#lines[this.#row] = (this.#lines[this.#row] ?? '').slice(0, this.#column);
        this.#lines.length = this.#row + 1;
        break;
      case 'm':
        break;
      default:
        throw new Error(`VirtualTerminal: unexpected escape ${JSON.stringify(command)}`);
    }
  }

  #print(text: string): void {
    const line = (this.#lines[this.#row] ?? '').padEnd(this.#column, ' ');
    const next = line.slice(0, this.#column) + text + line.slice(this.#column + text.length);
    this.#lines[this.#row] = next;
    this.#column += [...text].length;
    if (this.#column > this.columns) this.overlongLines.push(next);
  }
}
