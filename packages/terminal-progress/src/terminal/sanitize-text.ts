// Text from the engine (RUN output, status words, image names) is printed on the user's terminal:
// its control characters and escape sequences must not move our cursor or restyle the screen.

const escapeSequence = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])/g;
const controlCharacters = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/**
 * One line of engine text made safe to print: escape sequences (colours, cursor moves, titles)
 * removed, tabs expanded to one space, other control characters dropped, and what a carriage
 * return would overwrite left out.
 *
 * @example
 * ```ts
 * sanitizeLine('\x1b[31mred\x1b[0m\tdone'); // 'red done'
 * sanitizeLine('10%\r100%'); // '100%'
 * ```
 */
export function sanitizeLine(text: string): string {
  const withoutEnd = text.replace(/\r?\n$/, '').replace(/\r$/, '');
  const lastReturn = withoutEnd.lastIndexOf('\r');
  const visible = lastReturn === -1 ? withoutEnd : withoutEnd.slice(lastReturn + 1);
  return visible.replace(escapeSequence, '').replace(/\t/g, ' ').replace(controlCharacters, '');
}
