// Column arithmetic for what we draw: our own SGR colour codes take no columns, wide East Asian
// characters and most emoji take two, combining marks none. Good enough to keep each drawn line
// within the terminal's width, so that no line wraps and the redraw never loses count.

const sgrSequence = /\x1b\[[0-9;]*m/y;
const nonPrintableAscii = /[^\x20-\x7e]/;

/**
 * Columns a character takes on a terminal: 0, 1 or 2.
 *
 * @example
 * ```ts
 * characterWidth('界'.codePointAt(0)!); // 2
 * ```
 */
export function characterWidth(codePoint: number): 0 | 1 | 2 {
  if ((codePoint >= 0x300 && codePoint <= 0x36f) || (codePoint >= 0x200b && codePoint <= 0x200f) || codePoint === 0xfe0f) return 0;
  if (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1faff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/**
 * Columns a drawn line takes, colour codes excluded.
 *
 * @example
 * ```ts
 * textWidth('\x1b[1mab\x1b[0m'); // 2
 * ```
 */
export function textWidth(text: string): number {
  // Printable ASCII (most build output): one column each, without a regex step per character.
  if (!nonPrintableAscii.test(text)) return text.length;
  let width = 0;
  for (let index = 0; index < text.length; ) {
    sgrSequence.lastIndex = index;
    const sgr = sgrSequence.exec(text);
    if (sgr !== null) {
      index += sgr[0].length;
      continue;
    }
    const codePoint = text.codePointAt(index) ?? 0;
    width += characterWidth(codePoint);
    index += codePoint > 0xffff ? 2 : 1;
  }
  return width;
}

/**
 * Cuts a drawn line to at most `columns` columns (with `…` when cut), keeping colour codes
 * balanced by ending with a reset when it had any.
 *
 * @example
 * ```ts
 * truncateText('abcdef', 4); // 'abc…'
 * ```
 */
export function truncateText(text: string, columns: number): string {
  if (textWidth(text) <= columns) return text;
  if (columns <= 0) return '';
  let width = 0;
  let result = '';
  let styled = false;
  for (let index = 0; index < text.length; ) {
    sgrSequence.lastIndex = index;
    const sgr = sgrSequence.exec(text);
    if (sgr !== null) {
      result += sgr[0];
      styled = true;
      index += sgr[0].length;
      continue;
    }
    const codePoint = text.codePointAt(index) ?? 0;
    const next = characterWidth(codePoint);
    if (width + next > columns - 1) break;
    width += next;
    result += String.fromCodePoint(codePoint);
    index += codePoint > 0xffff ? 2 : 1;
  }
  return `${result}…${styled ? '\x1b[0m' : ''}`;
}

/**
 * Pads a drawn line with spaces to `columns` columns.
 *
 * @example
 * ```ts
 * padText('ab', 4); // 'ab  '
 * ```
 */
export function padText(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - textWidth(text)));
}
