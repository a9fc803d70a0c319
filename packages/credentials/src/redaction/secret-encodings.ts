/**
 * Every form in which a secret handed to a helper (or put in a header or config file) may come
 * back in its output: as is; JSON-escaped (how `store` sends it), also with non-ASCII as
 * `\uXXXX`, the way Go's encoder escapes `<>&`, and escaped twice (JSON quoted inside JSON); as
 * a Go `%q` literal; and each of these URL-encoded (also as form data) and in base64 or
 * base64url (with or without padding, wherever it sits in a longer encoded text: a whole JSON
 * payload echoed in base64 still gives the secret away). Forms too short to be told apart from
 * ordinary text (under 4 characters) are left out.
 *
 * @example
 * ```ts
 * encodedFormsOf('pa"ss'); // ['pa"ss', 'pa\\"ss', 'pa%22ss', 'cGEic3M', …]
 * ```
 */
export function encodedFormsOf(secret: string): string[] {
  if (secret === '') return [];
  const jsonEscaped = JSON.stringify(secret).slice(1, -1);
  // The secret as text in a document: raw, or escaped the ways JSON and Go write it.
  const textual = new Set<string>([
    secret,
    jsonEscaped,
    asciiJson(jsonEscaped, 'lower'),
    asciiJson(jsonEscaped, 'upper'),
    goJson(jsonEscaped),
    JSON.stringify(jsonEscaped).slice(1, -1),
    goQuoted(secret),
  ]);
  // …and each of those as it appears once the document is URL-encoded or base64-encoded.
  const forms = new Set<string>();
  for (const text of textual) {
    forms.add(text);
    const url = encodeURIComponent(text);
    forms.add(url).add(url.replace(/%20/g, '+')).add(url.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
    // Form data (URLSearchParams, Go's url.QueryEscape) also escapes ! ' ( ) ~.
    const form = new URLSearchParams({ s: text }).toString().slice(2);
    forms.add(form).add(form.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
    for (const encoded of base64Forms(Buffer.from(text, 'utf8'))) forms.add(encoded);
  }
  return [...forms].filter((form) => form.length >= 4 || form === secret);
}

/** JSON escapes with every non-ASCII character as `\uXXXX` (UTF-16 units, like Python and Go's ASCII mode). */
function asciiJson(jsonEscaped: string, hexCase: 'lower' | 'upper'): string {
  return jsonEscaped.replace(/[^\x20-\x7e]/g, (character) => {
    const hex = character.charCodeAt(0).toString(16).padStart(4, '0');
    return `\\u${hexCase === 'lower' ? hex : hex.toUpperCase()}`;
  });
}

/** Go's `encoding/json` also escapes `<`, `>`, `&`, U+2028 and U+2029. */
function goJson(jsonEscaped: string): string {
  return jsonEscaped
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Go's `strconv.Quote` without the quotes: printable Unicode stays, controls become `\t`, `\x00`, … */
function goQuoted(secret: string): string {
  const named: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };
  return [...secret]
    .map((character) => {
      const known = named[character];
      if (known !== undefined) return known;
      const code = character.codePointAt(0) ?? 0;
      if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
      return character;
    })
    .join('');
}

/**
 * The base64 and base64url text of the secret's bytes at each of the three alignments it can
 * have inside a longer encoded text (`user:secret` in config.json's `auth`, a JSON document in
 * `X-Registry-Auth`): only the characters that depend on the secret alone are kept, so the form
 * matches wherever the secret sits.
 */
function base64Forms(bytes: Buffer): string[] {
  const forms: string[] = [];
  const plain = bytes.toString('base64');
  forms.push(plain, plain.replace(/=+$/, ''), bytes.toString('base64url'));
  for (let offset = 0; offset < 3; offset += 1) {
    const shifted = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // Characters covering filler bytes come first; the last group may mix in what follows.
    const start = offset === 0 ? 0 : Math.ceil((offset * 8) / 6);
    const wholeGroups = Math.floor((offset + bytes.length) / 3) * 4;
    const core = shifted.slice(start, wholeGroups);
    if (core.length >= 4) forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}
