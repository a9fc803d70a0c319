// Regression: a config.json (or meta.json) that is not JSON used to be reported with the
// JSON.parse SyntaxError as `cause`, and V8's message quotes a slice of the input — here the
// base64 `user:password` of an `auths` entry.
import { join } from 'node:path';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { causeChain, everyRendering, secretPiecesOf } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveEndpoint } from '../../src/resolution/resolve-endpoint.js';
import { makeTemporaryDirectory, writeConfigDirectory } from '../helpers/docker-config-fixture.js';

const password = 'Hunter2-Zebra-Quokka';
const secret = Buffer.from(`berth-user:${password}`).toString('base64');
// The auth value lacks its quotes: V8 then says `Unexpected token 'Y', ..."{"auth": YmVydGgtdX"...`.
const brokenConfig = `{\n  "auths": {\n    "registry.example": {"auth": ${secret}}\n  }\n}\n`;
// The first invalid character is the first of the unquoted value, on line 3.
const brokenLocation = `line 3, column ${(brokenConfig.split('\n')[2] ?? '').indexOf(secret) + 1}`;
const brokenMeta = `{"Name": "remote", "Endpoints": {"docker": {"Host": ${secret}}}}`;

let cleanup: () => Promise<void>;
let brokenConfigDirectory: string;
let brokenMetaDirectory: string;

beforeAll(async () => {
  const temporary = await makeTemporaryDirectory('leak');
  cleanup = temporary.remove;
  brokenConfigDirectory = await writeConfigDirectory(join(temporary.path, 'broken-config'), { rawConfig: brokenConfig });
  brokenMetaDirectory = await writeConfigDirectory(join(temporary.path, 'broken-meta'), {
    contexts: { remote: { rawMeta: brokenMeta } },
  });
});

afterAll(async () => {
  await cleanup();
});

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('regression: a broken config.json does not leak its credentials through the JSON.parse error', () => {
  it('the V8 message of this fixture does quote the secret (the leak this guards against)', () => {
    let message = '';
    try {
      JSON.parse(brokenConfig);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(secretPiecesOf([secret, password]).some((piece) => message.includes(piece))).toBe(true);
  });

  it('config.json: names the file, line and column, keeps no SyntaxError, quotes nothing', async () => {
    const error = await failureOf(resolveEndpoint({ environment: { DOCKER_CONFIG: brokenConfigDirectory } }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toContain(`${join(brokenConfigDirectory, 'config.json')} is not valid JSON (${brokenLocation})`);
    expect(causeChain(error).some((link) => link instanceof SyntaxError)).toBe(false);
    for (const text of [everyRendering(error)]) {
      for (const piece of secretPiecesOf([secret, password])) expect(text).not.toContain(piece);
    }
  });

  it('meta.json of a context: names the context and the position, keeps no SyntaxError, quotes nothing', async () => {
    const error = await failureOf(resolveEndpoint({ environment: { DOCKER_CONFIG: brokenMetaDirectory, DOCKER_CONTEXT: 'remote' } }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toContain(
      `Docker context "remote" has a meta.json that is not JSON (line 1, column ${brokenMeta.indexOf(secret) + 1})`,
    );
    expect(causeChain(error).some((link) => link instanceof SyntaxError)).toBe(false);
    for (const text of [everyRendering(error)]) {
      for (const piece of secretPiecesOf([secret, password])) expect(text).not.toContain(piece);
    }
  });
});
