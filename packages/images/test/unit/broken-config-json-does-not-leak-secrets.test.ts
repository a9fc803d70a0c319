// Regression: a config.json that is not JSON used to be reported (when reading its proxy
// settings for a build) with the JSON.parse SyntaxError as `cause`, and V8's message quotes a
// slice of the input — here the base64 `user:password` of an `auths` entry. And a config.json
// that could not be read was rethrown as the raw file system error.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { causeChain, everyRendering, secretPiecesOf } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageCollection, readProxyBuildArguments } from '../../src/index.js';
import { fakeEngine } from './support/fake-engine.js';

const password = 'Hunter2-Zebra-Quokka';
const secret = Buffer.from(`berth-user:${password}`).toString('base64');
// The auth value lacks its quotes: V8 then says `Unexpected token 'Y', ..."{"auth": YmVydGgtdX"...`.
const brokenConfig = `{\n  "proxies": {"default": {"httpProxy": "http://proxy:3128"}},\n  "auths": {\n    "registry.example": {"auth": ${secret}}\n  }\n}\n`;
const brokenLocation = `line 4, column ${(brokenConfig.split('\n')[3] ?? '').indexOf(secret) + 1}`;

let root: string;
let brokenDirectory: string;
let unreadableDirectory: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'berth-images-leak-'));
  brokenDirectory = join(root, 'broken');
  await mkdir(brokenDirectory);
  await writeFile(join(brokenDirectory, 'config.json'), brokenConfig);
  // A directory where config.json should be: reading it fails with EISDIR, for any user.
  unreadableDirectory = join(root, 'unreadable');
  await mkdir(join(unreadableDirectory, 'config.json'), { recursive: true });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function failureOf(promise: PromiseLike<unknown>): Promise<unknown> {
  return Promise.resolve(promise).then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

function expectNoSecret(error: unknown): void {
  expect(causeChain(error).some((link) => link instanceof SyntaxError)).toBe(false);
  for (const text of [everyRendering(error)]) {
    for (const piece of secretPiecesOf([secret, password])) expect(text).not.toContain(piece);
  }
}

describe('regression: a broken config.json does not leak its credentials through the JSON.parse error (proxy settings)', () => {
  it('the V8 message of this fixture does quote the secret (the leak this guards against)', () => {
    let message = '';
    try {
      JSON.parse(brokenConfig);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(secretPiecesOf([secret, password]).some((piece) => message.includes(piece))).toBe(true);
  });

  it('readProxyBuildArguments names the file, line and column, keeps no SyntaxError, quotes nothing', async () => {
    const error = await failureOf(readProxyBuildArguments({ environment: { DOCKER_CONFIG: brokenDirectory } }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('useConfigProxy');
    expect((error as Error).message).toContain(`${join(brokenDirectory, 'config.json')} is not valid JSON (${brokenLocation})`);
    expectNoSecret(error);
  });

  it('a build reading that config.json rejects the same way, before any request', async () => {
    const engine = fakeEngine(() => undefined);
    const images = new ImageCollection({ client: engine.client, environment: { DOCKER_CONFIG: brokenDirectory } });
    const error = await failureOf(images.build({ file: Buffer.from('context'), customContext: true }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expectNoSecret(error);
    expect(engine.calls()).toEqual([]);
  });
});

describe('regression: readProxyBuildArguments wraps file system errors in a Berth error naming the file', () => {
  it('a config.json that cannot be read is an InvalidArgumentError naming it, with the system error as cause', async () => {
    const error = await failureOf(readProxyBuildArguments({ environment: { DOCKER_CONFIG: unreadableDirectory } }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('useConfigProxy');
    expect((error as Error).message).toContain(`Cannot read the docker configuration ${join(unreadableDirectory, 'config.json')}`);
    expect((error as Error).message).toContain('EISDIR');
    expect(((error as Error).cause as { code?: unknown }).code).toBe('EISDIR');
  });

  it('a missing config.json still means no proxies, and so does an empty one', async () => {
    expect(await readProxyBuildArguments({ environment: { DOCKER_CONFIG: join(root, 'nowhere') } })).toEqual({});
    const empty = join(root, 'empty');
    await mkdir(empty, { recursive: true });
    await writeFile(join(empty, 'config.json'), ' \n');
    expect(await readProxyBuildArguments({ environment: { DOCKER_CONFIG: empty } })).toEqual({});
  });
});

