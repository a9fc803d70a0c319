// issue 8, failure 6: a `store` helper that echoes its input showed the secret JSON-escaped
// (`Wrong\"Pass\\…`) because only the raw secret and payload were scrubbed. The secret must not
// come back in any encoding: JSON-escaped, Go-quoted, base64, URL-encoded, of the secret or of
// the whole payload.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CredentialHelper, CredentialHelperError } from '../../src/index.js';
import { everyRendering, helperEnvironment, temporaryDirectory, writeHelper } from './support/fixtures.js';

// Prints the stdin (the whole JSON payload, or only its Secret) in the encoding BERTH_ECHO_FORM
// names, on stdout and stderr, and fails.
const echoScript = String.raw`
let input = '';
process.stdin.on('data', (chunk) => (input += chunk)).on('end', () => {
  const [what, form] = (process.env.BERTH_ECHO_FORM || 'payload:raw').split(':');
  const text = what === 'secret' ? JSON.parse(input).Secret : input;
  const go = (value) => [...value].map((c) => ({ '\n': '\\n', '\t': '\\t', '"': '\\"', '\\': '\\\\' })[c] ?? c).join('');
  const encoded = {
    raw: text,
    json: JSON.stringify(text),
    'json-ascii': JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')),
    'json-twice': JSON.stringify(JSON.stringify(text)),
    go: '"' + go(text) + '"',
    base64: Buffer.from(text).toString('base64'),
    base64url: Buffer.from(text).toString('base64url'),
    url: encodeURIComponent(text),
    form: new URLSearchParams({ input: text }).toString(),
  }[form];
  process.stdout.write('store refused: ' + encoded + '\n');
  process.stderr.write('stderr saw: ' + encoded + '\n');
  process.exit(1);
});
`;

let environment: Record<string, string>;
beforeAll(async () => {
  const home = await temporaryDirectory();
  const bin = join(home, 'bin');
  environment = helperEnvironment(bin, home);
  await writeHelper(bin, 'echoencoded', `exec node -e '${echoScript.replace(/'/g, `'"'"'`)}'`);
});

const secrets = ['Wrong"Pass\\with\\backslashes', 'tab\there and newline\nthere', 'non-ASCII: pässwörd € 😀 密码 "\\\t\n',
  // review 1: form encoding escapes ! ' ( ) ~, which encodeURIComponent leaves alone.
  "It's(mine)~really!*",
];
const forms = ['raw', 'json', 'json-ascii', 'json-twice', 'go', 'base64', 'base64url', 'url', 'form'];

describe('a failed store never shows the secret it was sent', () => {
  for (const what of ['secret', 'payload']) {
    it.each(forms)(`echoing the ${what} as %s`, async (form) => {
      const helper = new CredentialHelper('echoencoded', { environment: { ...environment, BERTH_ECHO_FORM: `${what}:${form}` } });
      const errors = await Promise.all(
        secrets.map((secret) => helper.store({ serverUrl: 'localhost:5000', username: 'me', secret }).catch((caught: unknown) => caught)),
      );
      for (const [index, secret] of secrets.entries()) {
        const error = errors[index];
        expect(error).toBeInstanceOf(CredentialHelperError);
        const shown = everyRendering(error);
        expect(shown).toContain('store refused');
        expect(shown).toContain('[redacted]');
        // No run of 8 characters of the secret, in any of the forms a reader could decode.
        for (const piece of pieces(secret)) expect(shown, `${form} of ${JSON.stringify(secret)}`).not.toContain(piece);
      }
    });
  }
});

/** 8-character windows of the secret's raw, JSON-escaped, base64, URL-encoded and form-encoded forms. */
function pieces(secret: string): string[] {
  const texts = [
    secret,
    JSON.stringify(secret).slice(1, -1),
    Buffer.from(secret).toString('base64').slice(0, -4),
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
  ];
  const windows = new Set<string>();
  for (const text of texts) for (let index = 0; index + 8 <= text.length; index += 1) windows.add(text.slice(index, index + 8));
  return [...windows];
}
