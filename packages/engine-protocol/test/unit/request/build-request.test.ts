import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  UnsupportedOptionError,
  imageBuildEndpoint,
  imageDeleteEndpoint,
  imageGetAllEndpoint,
  imageGetEndpoint,
  imageImportEndpoint,
  imageInspectEndpoint,
  imageListEndpoint,
  imageLoadEndpoint,
  imagePullEndpoint,
  imagePushEndpoint,
  pingEndpoint,
} from '../../../src/index.js';
import { buildRequest, encodeRegistryAuth, encodeRegistryConfig } from '../../../src/internal.js';

const v145 = { apiVersion: '1.45' };
const v156 = { apiVersion: '1.56' };

function query(path: string): URLSearchParams {
  return new URL(path, 'http://localhost').searchParams;
}

function decodeHeader(value: string | undefined): unknown {
  expect(value).toBeDefined();
  // The daemon only decodes padded base64url: check both properties before decoding.
  expect(value).toMatch(/^[A-Za-z0-9_-]*={0,2}$/);
  expect(value!.length % 4).toBe(0);
  return JSON.parse(Buffer.from(value!, 'base64url').toString('utf8'));
}

describe('buildRequest', () => {
  it('prefixes the negotiated version and leaves /_ping unversioned', () => {
    expect(buildRequest(imageListEndpoint, {}, v145).path).toBe('/v1.45/images/json');
    expect(buildRequest(pingEndpoint, {}, v145).path).toBe('/_ping');
  });

  it('encodes booleans as 1/0 and filters as the JSON map form', () => {
    const request = buildRequest(imageListEndpoint, { all: true, digests: false, filters: { dangling: true, label: ['a=b', 'c'] } }, v145);
    const search = query(request.path);
    expect(search.get('all')).toBe('1');
    expect(search.get('digests')).toBe('0');
    expect(JSON.parse(search.get('filters')!)).toEqual({ dangling: { true: true }, label: { 'a=b': true, c: true } });
  });

  it('repeats list keys instead of joining them', () => {
    const build = buildRequest(imageBuildEndpoint, { t: ['a:1', 'b:2'], extrahosts: ['h1:127.0.0.1', 'h2:127.0.0.2'] }, v145);
    expect(query(build.path).getAll('t')).toEqual(['a:1', 'b:2']);
    expect(query(build.path).getAll('extrahosts')).toEqual(['h1:127.0.0.1', 'h2:127.0.0.2']);
    expect(build.path).toContain('t=a%3A1&t=b%3A2');
    const save = buildRequest(imageGetAllEndpoint, { names: ['a:1', 'b'] }, v145);
    expect(query(save.path).getAll('names')).toEqual(['a:1', 'b']);
    const load = buildRequest(imageImportEndpoint, { fromSrc: '-', changes: ['CMD ["sh"]', 'ENV A=b'] }, v145);
    expect(query(load.path).getAll('changes')).toEqual(['CMD ["sh"]', 'ENV A=b']);
  });

  it('URL-encodes names in the path', () => {
    const request = buildRequest(imageInspectEndpoint, { name: 'localhost:5000/a/b:tag' }, v145);
    expect(request.path).toBe('/v1.45/images/localhost%3A5000%2Fa%2Fb%3Atag/json');
    const digest = buildRequest(imageInspectEndpoint, { name: 'x@sha256:abc' }, v145);
    expect(digest.path).toBe('/v1.45/images/x%40sha256%3Aabc/json');
  });

  it('sends os/arch strings for pull and build, JSON OCI platforms for push and save', () => {
    expect(query(buildRequest(imagePullEndpoint, { fromImage: 'a', platform: 'linux/arm64/v8' }, v145).path).get('platform')).toBe(
      'linux/arm64/v8',
    );
    expect(
      query(buildRequest(imageBuildEndpoint, { platform: { os: 'linux', architecture: 'amd64' } }, v145).path).get('platform'),
    ).toBe('linux/amd64');
    const push = buildRequest(imagePushEndpoint, { name: 'a', platform: 'linux/arm64/v8' }, v156);
    expect(JSON.parse(query(push.path).get('platform')!)).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    const save = buildRequest(imageGetEndpoint, { name: 'a', platform: ['linux/amd64', 'linux/arm64'] }, v156);
    expect(query(save.path).getAll('platform').map((value) => JSON.parse(value))).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
    ]);
    const remove = buildRequest(imageDeleteEndpoint, { name: 'a', platforms: [{ os: 'linux', architecture: 'arm', variant: 'v7' }] }, v156);
    expect(JSON.parse(query(remove.path).get('platforms')!)).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
  });

  it('refuses malformed platforms before sending', () => {
    expect(() => buildRequest(imagePullEndpoint, { fromImage: 'a', platform: 'linux//amd64' }, v145)).toThrow(InvalidArgumentError);
    expect(() => buildRequest(imagePullEndpoint, { fromImage: 'a', platform: 'a/b/c/d' }, v145)).toThrow(/os\[\/arch\[\/variant\]\]/);
  });

  it('encodes X-Registry-Auth as padded base64url JSON', () => {
    // Lengths chosen so that the plain base64url of the JSON needs one and two padding chars.
    for (const username of ['u', 'us', 'usr', 'üser-ß', 'a'.repeat(50)]) {
      const authConfig = { username, password: 'p?>>~~', serveraddress: 'localhost:5000' };
      const request = buildRequest(imagePullEndpoint, { fromImage: 'a', tag: 'latest', authConfig }, v145);
      expect(decodeHeader(request.headers['X-Registry-Auth'])).toEqual(authConfig);
    }
    expect(encodeRegistryAuth({ username: 'u' })).toMatch(/=$/);
    expect(encodeRegistryAuth({ password: '>>>?' })).not.toMatch(/[+/]/);
  });

  it('always sends an auth header and a body on push', () => {
    const request = buildRequest(imagePushEndpoint, { name: 'localhost:5000/a', tag: 'v1' }, v145);
    expect(decodeHeader(request.headers['X-Registry-Auth'])).toEqual({});
    expect(request.body).toBe('{}');
    expect(request.headers['Content-Type']).toBe('application/json');
  });

  it('encodes X-Registry-Config for builds', () => {
    const registryConfig = { 'https://index.docker.io/v1/': { username: 'a', password: 'b' }, 'localhost:5000': { identitytoken: 't' } };
    const request = buildRequest(imageBuildEndpoint, { registryConfig }, v145);
    expect(decodeHeader(request.headers['X-Registry-Config'])).toEqual(registryConfig);
    expect(encodeRegistryConfig(registryConfig)).toBe(request.headers['X-Registry-Config']);
  });

  it('sends quiet explicitly on load, and the tar content type', () => {
    const body = Buffer.from('tar');
    const request = buildRequest(imageLoadEndpoint, { body }, v145);
    expect(query(request.path).get('quiet')).toBe('0');
    expect(request.headers['Content-Type']).toBe('application/x-tar');
    expect(request.body).toBe(body);
    expect(query(buildRequest(imageLoadEndpoint, { body, quiet: true }, v145).path).get('quiet')).toBe('1');
  });

  it('JSON-encodes build args, labels and cache sources', () => {
    const request = buildRequest(
      imageBuildEndpoint,
      { buildargs: { A: '1', B: 'x y' }, labels: { 'org.example': 'yes' }, cachefrom: ['a:1'], nocache: true, memory: 1024 },
      v145,
    );
    const search = query(request.path);
    expect(JSON.parse(search.get('buildargs')!)).toEqual({ A: '1', B: 'x y' });
    expect(JSON.parse(search.get('labels')!)).toEqual({ 'org.example': 'yes' });
    expect(JSON.parse(search.get('cachefrom')!)).toEqual(['a:1']);
    expect(search.get('nocache')).toBe('1');
    expect(search.get('memory')).toBe('1024');
  });

  it('refuses an option the API version lacks, naming the option and the version', () => {
    const attempt = (): unknown => buildRequest(imagePushEndpoint, { name: 'a', platform: 'linux/amd64' }, { apiVersion: '1.41' });
    expect(attempt).toThrow(UnsupportedOptionError);
    try {
      attempt();
    } catch (error) {
      const unsupported = error as UnsupportedOptionError;
      expect(unsupported.option).toBe('platform');
      expect(unsupported.requiredVersion).toBe('1.46');
      expect(unsupported.apiVersion).toBe('1.41');
    }
    expect(() => buildRequest(imageListEndpoint, { 'shared-size': true }, { apiVersion: '1.41' })).toThrow(/needs Engine API 1\.42/);
    expect(() => buildRequest(imageListEndpoint, { 'shared-size': true }, { apiVersion: '1.42' })).not.toThrow();
  });

  it('refuses several save platforms before v1.52', () => {
    const platform = ['linux/amd64', 'linux/arm64'];
    expect(() => buildRequest(imageGetEndpoint, { name: 'a', platform }, { apiVersion: '1.48' })).toThrow(UnsupportedOptionError);
    expect(() => buildRequest(imageGetEndpoint, { name: 'a', platform: ['linux/amd64'] }, { apiVersion: '1.48' })).not.toThrow();
    expect(() => buildRequest(imageGetEndpoint, { name: 'a', platform }, { apiVersion: '1.52' })).not.toThrow();
  });

  it('refuses unknown, missing and mistyped parameters', () => {
    expect(() => buildRequest(imageListEndpoint, { al: true }, v145)).toThrow(/Unknown parameter "al"/);
    expect(() => buildRequest(imageInspectEndpoint, {}, v145)).toThrow(/Missing required parameter "name"/);
    expect(() => buildRequest(imageInspectEndpoint, { name: '' }, v145)).toThrow(/must not be empty/);
    expect(() => buildRequest(imageListEndpoint, { all: 'yes' }, v145)).toThrow(/must be a boolean/);
    expect(() => buildRequest(imageBuildEndpoint, { memory: 1.5 }, v145)).toThrow(/must be an integer/);
  });

  it('leaves undefined parameters out', () => {
    expect(buildRequest(imageListEndpoint, { all: undefined, filters: undefined }, v145).path).toBe('/v1.45/images/json');
  });
});
