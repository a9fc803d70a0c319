import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { CredentialHelper, CredentialHelperError } from '../../src/index.js';
import { everyRendering, helperEnvironment, secretsIn, storingHelperScript, temporaryDirectory, writeHelper } from './support/fixtures.js';

/** False once the process is gone or a zombie (a container's init may not reap it at once). */
async function runningAfterAWhile(pid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined || stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

let bin: string;
let home: string;
let environment: Record<string, string>;

beforeAll(async () => {
  home = await temporaryDirectory();
  bin = join(home, 'bin');
  environment = helperEnvironment(bin, home);
  await writeHelper(
    bin,
    'found',
    String.raw`input=$(cat); printf '%s' "$input" > "$(dirname "$0")/found.$1.stdin"
printf '{"ServerURL":"%s","Username":"me","Secret":"s3cret:with:colons"}' "$input"`,
  );
  await writeHelper(bin, 'token', `cat >/dev/null; printf '{"ServerURL":"x","Username":"<token>","Secret":"identity-tok"}'`);
  await writeHelper(bin, 'notfound', `cat >/dev/null; echo "credentials not found in native keychain"; exit 1`);
  await writeHelper(bin, 'emptyanswer', `cat >/dev/null; printf '{"ServerURL":"","Username":"","Secret":""}'`);
  await writeHelper(bin, 'failing', `cat >/dev/null; echo "gpg: decryption failed: No secret key" >&2; exit 3`);
  await writeHelper(bin, 'leakyfail', `cat >/dev/null; printf '{"Username":"me","Secret":"LEAKED-GET-SECRET"}'; exit 1`);
  await writeHelper(bin, 'garbage', `cat >/dev/null; echo "not json at all GARBAGE-SECRET"`);
  await writeHelper(bin, 'wrongtypes', `cat >/dev/null; printf '{"Username":1,"Secret":"WRONGTYPE-SECRET"}'`);
  await writeHelper(bin, 'arrayanswer', `cat >/dev/null; printf '["ARRAY-SECRET"]'`);
  await writeHelper(bin, 'silent', `cat >/dev/null`);
  await writeHelper(bin, 'slow', `cat >/dev/null; sleep 30 & echo $! > "$(dirname "$0")/slow.child"; wait`);
  await writeHelper(bin, 'echostore', `input=$(cat); echo "cannot store $input"; echo "stderr also saw $input" >&2; exit 1`);
  await writeHelper(bin, 'storing', storingHelperScript);
  await writeHelper(bin, 'noexec', `echo should never run`, 0o644);
  await writeHelper(bin, 'badinterpreter', '');
  await writeFile(join(bin, 'docker-credential-badinterpreter'), '#!/nonexistent/interpreter\n');
  await writeHelper(bin, 'badlist', `cat >/dev/null; printf '{"a.example":{"nested":"LIST-SECRET"}}'`);
});

describe('CredentialHelper: get', () => {
  it('sends the server URL on stdin (no newline) and parses the answer', async () => {
    const credentials = await new CredentialHelper('found', { environment }).get('localhost:5000');
    expect({ ...credentials }).toEqual({ serverUrl: 'localhost:5000', username: 'me', secret: 's3cret:with:colons' });
    expect(await readFile(join(bin, 'found.get.stdin'), 'utf8')).toBe('localhost:5000');
  });

  it('prints the answer without its secret', async () => {
    const credentials = await new CredentialHelper('found', { environment }).get('localhost:5000');
    expect(secretsIn(credentials, ['s3cret:with:colons'])).toEqual([]);
    expect(everyRendering(credentials)).toContain('me');
  });

  it('passes an identity token through as the secret with the <token> user name', async () => {
    const credentials = await new CredentialHelper('token', { environment }).get('localhost:5000');
    expect(credentials?.username).toBe('<token>');
    expect(credentials?.secret).toBe('identity-tok');
  });

  it('"credentials not found" (exit 1) is an answer: undefined', async () => {
    expect(await new CredentialHelper('notfound', { environment }).get('localhost:5000')).toBeUndefined();
  });

  it('an all-empty answer with exit 0 is no credentials too', async () => {
    expect(await new CredentialHelper('emptyanswer', { environment }).get('localhost:5000')).toBeUndefined();
  });

  it('a missing program → CredentialHelperError "not-installed" naming it', async () => {
    const error = await new CredentialHelper('absent', { environment }).get('localhost:5000').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CredentialHelperError);
    expect(error).toMatchObject({ helper: 'docker-credential-absent', operation: 'get', reason: 'not-installed', serverUrl: 'localhost:5000' });
    expect((error as Error).message).toContain('docker-credential-absent');
    expect((error as Error).message).toContain('not found on PATH');
  });

  it('a file that is not executable does not count as installed', async () => {
    await expect(new CredentialHelper('noexec', { environment }).get('x')).rejects.toMatchObject({ reason: 'not-installed' });
  });

  it('only looks on the PATH of the given environment', async () => {
    const elsewhere = { PATH: '/usr/bin:/bin', HOME: home };
    await expect(new CredentialHelper('found', { environment: elsewhere }).get('x')).rejects.toMatchObject({ reason: 'not-installed' });
  });

  it('a program that cannot start → "spawn-failed"', async () => {
    await expect(new CredentialHelper('badinterpreter', { environment }).get('x')).rejects.toMatchObject({ reason: 'spawn-failed' });
  });

  it('a non-zero exit → "exit-code" with the code and the helper\'s stderr', async () => {
    const error = (await new CredentialHelper('failing', { environment }).get('localhost:5000').catch((caught: unknown) => caught)) as CredentialHelperError;
    expect(error).toBeInstanceOf(CredentialHelperError);
    expect(error.reason).toBe('exit-code');
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain('docker-credential-failing (get for localhost:5000) exited with code 3');
    expect(error.message).toContain('gpg: decryption failed');
  });

  it('never repeats what get printed on stdout when it failed', async () => {
    const error = await new CredentialHelper('leakyfail', { environment }).get('localhost:5000').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ reason: 'exit-code', exitCode: 1 });
    expect(secretsIn(error, ['LEAKED-GET-SECRET'])).toEqual([]);
  });

  it.each([
    ['garbage', 'GARBAGE-SECRET', /printed \d+ bytes that are not JSON/],
    ['wrongtypes', 'WRONGTYPE-SECRET', /without string "Username" and "Secret"/],
    ['arrayanswer', 'ARRAY-SECRET', /without string "Username" and "Secret"/],
    ['silent', 'nothing-to-leak', /printed nothing/],
  ])('bad output from %s → "invalid-output", output not quoted', async (name, secret, message) => {
    const error = await new CredentialHelper(name, { environment }).get('localhost:5000').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CredentialHelperError);
    expect(error).toMatchObject({ reason: 'invalid-output', helper: `docker-credential-${name}` });
    expect((error as Error).message).toMatch(message);
    expect(secretsIn(error, [secret])).toEqual([]);
  });

  it('a helper that hangs is killed with its children after the timeout → "timeout"', async () => {
    const started = Date.now();
    const error = await new CredentialHelper('slow', { environment, timeout: 400 }).get('localhost:5000').catch((caught: unknown) => caught);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(CredentialHelperError);
    expect(error).toMatchObject({ reason: 'timeout' });
    expect((error as Error).message).toContain('did not answer within 400 ms');
    const child = Number(await readFile(join(bin, 'slow.child'), 'utf8'));
    expect(await runningAfterAWhile(child)).toBe(false);
  });
});

describe('CredentialHelper: store, erase, list', () => {
  it('round-trips through a helper that really stores', async () => {
    const storeDirectory = await temporaryDirectory();
    const helper = new CredentialHelper('storing', { environment: { ...environment, BERTH_FAKE_STORE: storeDirectory } });
    await helper.store({ serverUrl: 'localhost:5000', username: 'me', secret: 'pw:1' });
    await helper.store({ serverUrl: 'https://index.docker.io/v1/', username: '<token>', secret: 'tok' });
    expect(await helper.list()).toEqual({ 'localhost:5000': 'me', 'https://index.docker.io/v1/': '<token>' });
    expect({ ...(await helper.get('localhost:5000')) }).toEqual({ serverUrl: 'localhost:5000', username: 'me', secret: 'pw:1' });
    const calls = await readFile(join(storeDirectory, 'calls.log'), 'utf8');
    expect(calls).toContain('store {"ServerURL":"localhost:5000","Username":"me","Secret":"pw:1"}');
    expect(calls).toContain('list unused');
    await helper.erase('localhost:5000');
    expect(await helper.get('localhost:5000')).toBeUndefined();
    expect(await helper.list()).toEqual({ 'https://index.docker.io/v1/': '<token>' });
  });

  it('erasing what is not there is not an error', async () => {
    const storeDirectory = await temporaryDirectory();
    const helper = new CredentialHelper('storing', { environment: { ...environment, BERTH_FAKE_STORE: storeDirectory } });
    await expect(helper.erase('never-stored.example')).resolves.toBeUndefined();
  });

  it('a failed store scrubs the secret it was sent from what the helper echoed', async () => {
    const secret = 'STORE-SECRET-9';
    const error = await new CredentialHelper('echostore', { environment })
      .store({ serverUrl: 'localhost:5000', username: 'me', secret })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ reason: 'exit-code', operation: 'store', exitCode: 1 });
    expect((error as Error).message).toContain('cannot store');
    expect((error as Error).message).toContain('[redacted]');
    expect(secretsIn(error, [secret])).toEqual([]);
  });

  it('list output that is not {url: username} → "invalid-output" without quoting it', async () => {
    const error = await new CredentialHelper('badlist', { environment }).list().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ reason: 'invalid-output', operation: 'list' });
    expect(secretsIn(error, ['LIST-SECRET'])).toEqual([]);
  });

  it('refuses names that would escape the docker-credential- prefix, and bad timeouts', () => {
    for (const name of ['', '../bin/sh', 'a/b', 'a\\b', '..']) {
      expect(() => new CredentialHelper(name)).toThrow(InvalidArgumentError);
    }
    expect(() => new CredentialHelper('pass', { timeout: 0 })).toThrow(InvalidArgumentError);
    expect(() => new CredentialHelper('pass', { timeout: Number.NaN })).toThrow(InvalidArgumentError);
  });

  it('prints as its program name', () => {
    expect(String(new CredentialHelper('pass'))).toBe('CredentialHelper(docker-credential-pass)');
  });
});
