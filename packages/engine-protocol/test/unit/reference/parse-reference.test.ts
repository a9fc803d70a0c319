import { InvalidArgumentError } from '@berth/engine-protocol';
import { describe, expect, it } from 'vitest';
import { isValidReference, parseReference } from '../../../src/index.js';

const sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const sha384 = 'f'.repeat(96);
const sha512 = 'f'.repeat(128);

interface ValidCase {
  input: string;
  domain: string;
  path: string;
  tag?: string;
  digest?: string;
  familiarName: string;
  /** Expected toString(); defaults to the input. */
  text?: string;
}

const validCases: ValidCase[] = [
  // Docker Hub normalisation
  { input: 'busybox', domain: 'docker.io', path: 'library/busybox', familiarName: 'busybox' },
  { input: 'busybox:latest', domain: 'docker.io', path: 'library/busybox', tag: 'latest', familiarName: 'busybox' },
  { input: 'library/busybox:1', domain: 'docker.io', path: 'library/busybox', tag: '1', familiarName: 'busybox', text: 'busybox:1' },
  { input: 'docker.io/busybox', domain: 'docker.io', path: 'library/busybox', familiarName: 'busybox', text: 'busybox' },
  { input: 'docker.io/library/busybox', domain: 'docker.io', path: 'library/busybox', familiarName: 'busybox', text: 'busybox' },
  { input: 'index.docker.io/library/busybox', domain: 'docker.io', path: 'library/busybox', familiarName: 'busybox', text: 'busybox' },
  { input: 'index.docker.io/busybox:musl', domain: 'docker.io', path: 'library/busybox', tag: 'musl', familiarName: 'busybox', text: 'busybox:musl' },
  { input: 'index.docker.io/user/app', domain: 'docker.io', path: 'user/app', familiarName: 'user/app', text: 'user/app' },
  { input: 'user/app', domain: 'docker.io', path: 'user/app', familiarName: 'user/app' },
  { input: 'docker.io/user/app:v2', domain: 'docker.io', path: 'user/app', tag: 'v2', familiarName: 'user/app', text: 'user/app:v2' },
  { input: 'library/foo/bar', domain: 'docker.io', path: 'library/foo/bar', familiarName: 'library/foo/bar' },
  { input: 'docker.io/library/foo/bar', domain: 'docker.io', path: 'library/foo/bar', familiarName: 'library/foo/bar', text: 'library/foo/bar' },
  { input: 'other/library', domain: 'docker.io', path: 'other/library', familiarName: 'other/library' },
  { input: 'store/foo/bar', domain: 'docker.io', path: 'store/foo/bar', familiarName: 'store/foo/bar' },
  // single components are always Docker Hub names, whatever they look like
  { input: 'localhost', domain: 'docker.io', path: 'library/localhost', familiarName: 'localhost' },
  { input: 'test.com:5000', domain: 'docker.io', path: 'library/test.com', tag: '5000', familiarName: 'test.com' },
  { input: '192.168.1.1', domain: 'docker.io', path: 'library/192.168.1.1', familiarName: '192.168.1.1' },
  { input: 'test_com', domain: 'docker.io', path: 'library/test_com', familiarName: 'test_com' },
  { input: 'test_com/foo', domain: 'docker.io', path: 'test_com/foo', familiarName: 'test_com/foo' },
  // localhost and other registries
  { input: 'localhost/app', domain: 'localhost', path: 'app', familiarName: 'localhost/app' },
  { input: 'localhost:5000/app', domain: 'localhost:5000', path: 'app', familiarName: 'localhost:5000/app' },
  {
    input: `localhost:5000/a/b:tag@sha256:${sha256}`,
    domain: 'localhost:5000',
    path: 'a/b',
    tag: 'tag',
    digest: `sha256:${sha256}`,
    familiarName: 'localhost:5000/a/b',
  },
  { input: 'example.com/app', domain: 'example.com', path: 'app', familiarName: 'example.com/app' },
  { input: 'test:5000/repo', domain: 'test:5000', path: 'repo', familiarName: 'test:5000/repo' },
  { input: 'test-com:8080/foo', domain: 'test-com:8080', path: 'foo', familiarName: 'test-com:8080/foo' },
  { input: '127.0.0.1:5000/library/debian', domain: '127.0.0.1:5000', path: 'library/debian', familiarName: '127.0.0.1:5000/library/debian' },
  { input: '192.168.1.1:5000/repo:5050', domain: '192.168.1.1:5000', path: 'repo', tag: '5050', familiarName: '192.168.1.1:5000/repo' },
  { input: 'sub-dom1.foo.com/bar/baz/quux:some-long-tag', domain: 'sub-dom1.foo.com', path: 'bar/baz/quux', tag: 'some-long-tag', familiarName: 'sub-dom1.foo.com/bar/baz/quux' },
  { input: 'b.gcr.io/test.example.com/my-app:test.example.com', domain: 'b.gcr.io', path: 'test.example.com/my-app', tag: 'test.example.com', familiarName: 'b.gcr.io/test.example.com/my-app' },
  { input: 'xn--n3h.com/myimage:xn--n3h.com', domain: 'xn--n3h.com', path: 'myimage', tag: 'xn--n3h.com', familiarName: 'xn--n3h.com/myimage' },
  // IPv6 registries
  { input: '[::1]:5000/app', domain: '[::1]:5000', path: 'app', familiarName: '[::1]:5000/app' },
  { input: '[2001:db8::1]/repo', domain: '[2001:db8::1]', path: 'repo', familiarName: '[2001:db8::1]/repo' },
  { input: '[2001:db8:1:2:3:4:5:6]/repo:tag', domain: '[2001:db8:1:2:3:4:5:6]', path: 'repo', tag: 'tag', familiarName: '[2001:db8:1:2:3:4:5:6]/repo' },
  { input: `[2001:db8::1]:5000/repo:tag@sha256:${sha256}`, domain: '[2001:db8::1]:5000', path: 'repo', tag: 'tag', digest: `sha256:${sha256}`, familiarName: '[2001:db8::1]:5000/repo' },
  { input: '[fc00::1]:5000/docker/docker', domain: '[fc00::1]:5000', path: 'docker/docker', familiarName: '[fc00::1]:5000/docker/docker' },
  // An uppercase first component is a domain (normalize.go), never a namespace.
  { input: 'UPPER/app', domain: 'UPPER', path: 'app', familiarName: 'UPPER/app' },
  { input: 'Foo/bar:1', domain: 'Foo', path: 'bar', tag: '1', familiarName: 'Foo/bar' },
  // path component separators
  { input: 'a__b', domain: 'docker.io', path: 'library/a__b', familiarName: 'a__b' },
  { input: 'a_b.c-d', domain: 'docker.io', path: 'library/a_b.c-d', familiarName: 'a_b.c-d' },
  { input: 'docker---rules/docker', domain: 'docker.io', path: 'docker---rules/docker', familiarName: 'docker---rules/docker' },
  { input: 'd/t', domain: 'docker.io', path: 'd/t', familiarName: 'd/t' },
  { input: 'a/b/c/d/e/f', domain: 'docker.io', path: 'a/b/c/d/e/f', familiarName: 'a/b/c/d/e/f' },
  // tags
  { input: 'lowercase:Uppercase', domain: 'docker.io', path: 'library/lowercase', tag: 'Uppercase', familiarName: 'lowercase' },
  { input: 'app:_underscore', domain: 'docker.io', path: 'library/app', tag: '_underscore', familiarName: 'app' },
  { input: 'app:1.0-rc.1_b', domain: 'docker.io', path: 'library/app', tag: '1.0-rc.1_b', familiarName: 'app' },
  { input: `app:${'t'.repeat(128)}`, domain: 'docker.io', path: 'library/app', tag: 't'.repeat(128), familiarName: 'app' },
  // digests
  { input: `busybox@sha256:${sha256}`, domain: 'docker.io', path: 'library/busybox', digest: `sha256:${sha256}`, familiarName: 'busybox' },
  { input: `busybox:latest@sha256:${sha256}`, domain: 'docker.io', path: 'library/busybox', tag: 'latest', digest: `sha256:${sha256}`, familiarName: 'busybox' },
  { input: `example.com/app@sha384:${sha384}`, domain: 'example.com', path: 'app', digest: `sha384:${sha384}`, familiarName: 'example.com/app' },
  { input: `xn--7o8h.com/myimage:xn--7o8h.com@sha512:${sha512}`, domain: 'xn--7o8h.com', path: 'myimage', tag: 'xn--7o8h.com', digest: `sha512:${sha512}`, familiarName: 'xn--7o8h.com/myimage' },
  // a 64-hex name is fine once it has a domain, and 63 hex digits are just a name
  { input: `docker.io/${sha256}`, domain: 'docker.io', path: `library/${sha256}`, familiarName: `docker.io/${sha256}` },
  { input: `library/${sha256}:1`, domain: 'docker.io', path: `library/${sha256}`, tag: '1', familiarName: `docker.io/${sha256}`, text: `docker.io/${sha256}:1` },
  { input: sha256.slice(0, 63), domain: 'docker.io', path: `library/${sha256.slice(0, 63)}`, familiarName: sha256.slice(0, 63) },
  // length limit: the fully qualified name may be 255 characters
  { input: 'a'.repeat(237), domain: 'docker.io', path: `library/${'a'.repeat(237)}`, familiarName: 'a'.repeat(237) },
  { input: `localhost:5000/${'a'.repeat(240)}`, domain: 'localhost:5000', path: 'a'.repeat(240), familiarName: `localhost:5000/${'a'.repeat(240)}` },
  { input: `${'a/'.repeat(118)}a:tag-does-not-count`, domain: 'docker.io', path: `${'a/'.repeat(118)}a`, tag: 'tag-does-not-count', familiarName: `${'a/'.repeat(118)}a` },
];

describe('parseReference: valid references', () => {
  it.each(validCases)('$input', (testCase) => {
    const reference = parseReference(testCase.input);
    expect(reference.domain).toBe(testCase.domain);
    expect(reference.path).toBe(testCase.path);
    expect(reference.tag).toBe(testCase.tag);
    expect(reference.digest).toBe(testCase.digest);
    expect(reference.name).toBe(`${testCase.domain}/${testCase.path}`);
    expect(reference.familiarName).toBe(testCase.familiarName);
    expect(reference.toString()).toBe(testCase.text ?? testCase.input);
    expect(`${reference}`).toBe(testCase.text ?? testCase.input);
    expect(isValidReference(testCase.input)).toBe(true);
  });

  it('keeps a familiar reference stable when parsed again', () => {
    for (const { input } of validCases) {
      const once = parseReference(input);
      const twice = parseReference(once.toString());
      expect({ ...twice, toString: undefined }).toEqual({ ...once, toString: undefined });
    }
  });

  it('returns a frozen object', () => {
    const reference = parseReference('busybox');
    expect(Object.isFrozen(reference)).toBe(true);
  });
});

interface InvalidCase {
  input: string;
  /** What the message must say. */
  message: RegExp;
}

const invalidCases: InvalidCase[] = [
  { input: '', message: /empty/ },
  // uppercase repositories
  { input: 'Busybox', message: /must be lowercase.*"library\/busybox"/ },
  { input: 'Uppercase:tag', message: /must be lowercase/ },
  { input: 'user/App', message: /repository name "user\/App" must be lowercase/ },
  { input: 'docker.io/docker/Docker', message: /must be lowercase/ },
  { input: 'test:5000/Uppercase/lowercase:tag', message: /must be lowercase/ },
  { input: 'Foo_bar/app', message: /"Foo_bar" must be lowercase/ },
  // tags
  { input: 'app:', message: /tag after ":" is empty/ },
  { input: ':tag', message: /empty component/ },
  { input: ':justtag', message: /empty component/ },
  { input: 'app:-rc', message: /tag "-rc" is invalid: it must start with a letter, digit or "_"/ },
  { input: 'app:.hidden', message: /tag ".hidden" is invalid/ },
  { input: 'app:a:b', message: /tag "a:b" is invalid/ },
  { input: 'app:t+t', message: /tag "t\+t" is invalid/ },
  { input: `app:${'t'.repeat(129)}`, message: /129 characters long; at most 128/ },
  // path components
  { input: 'a//b', message: /empty component/ },
  { input: 'docker///docker', message: /empty component/ },
  { input: 'docker/', message: /empty component/ },
  { input: '/app', message: /empty component/ },
  { input: 'a..b', message: /path component "a\.\.b" is invalid/ },
  { input: 'a___b', message: /path component "a___b" is invalid/ },
  // a first component with "." is a registry host, so these fail as hosts
  { input: 'dock_.er/docker', message: /registry host "dock_\.er" is not a valid host name/ },
  { input: 'dock-.er/docker', message: /registry host "dock-\.er" is not a valid host name/ },
  { input: 'user/dock..er', message: /path component "dock\.\.er" is invalid/ },
  { input: 'user/dock-.er', message: /path component "dock-\.er" is invalid/ },
  { input: '-docker', message: /"-docker" is invalid/ },
  { input: 'docker-/docker', message: /"docker-" is invalid/ },
  { input: '_docker/_docker', message: /"_docker" is invalid/ },
  { input: '____/____', message: /"____" is invalid/ },
  { input: 'aa/asdf$$^/aa', message: /"asdf\$\$\^" is invalid/ },
  { input: ' busybox', message: /contains white space/ },
  { input: 'https://github.com/docker/docker', message: /has no URL scheme/ },
  // domains
  { input: 'example.com:notaport/app', message: /registry port "notaport" is not a number/ },
  { input: 'example.com:/app', message: /registry port "" is not a number/ },
  { input: '-docker.io/docker/docker', message: /registry host "-docker\.io" is not a valid host name/ },
  { input: 'foo_bar.com/app', message: /registry host "foo_bar\.com" is not a valid host name/ },
  { input: 'fc00::1:5000/debian', message: /has more than one ":"; an IPv6 address needs brackets/ },
  { input: '[fe80::1%eth0]:5000/app', message: /not a valid IPv6 address.*no zone/ },
  { input: '[fe80::1%@invalidzone]:5000/repo', message: /not a valid IPv6 address/ },
  { input: '[2001:db8:3:4::192.0.2.33]:5000/debian', message: /not a valid IPv6 address/ },
  { input: '[::1:5000/app', message: /without closing "\]"/ },
  { input: '[::1]x/app', message: /unexpected text after the IPv6 address/ },
  // a bracketed address without a path is a Docker Hub name, and brackets are no path component
  { input: '[::1]:5000', message: /path component "\[" is invalid/ },
  { input: '[2001:db8::1]', message: /path component "\[2001" is invalid/ },
  // digests
  { input: 'app@', message: /digest after "@" is empty/ },
  { input: `@sha256:${sha256}`, message: /empty component/ },
  { input: 'repo@sha256:ffffffffffffffffffffffffffffffffff', message: /needs exactly 64 hex digits, this one has 34/ },
  { input: `repo@sha256:${sha256}0`, message: /needs exactly 64 hex digits, this one has 65/ },
  { input: `repo@sha256:${sha256.toUpperCase()}`, message: /must be lowercase/ },
  { input: `repo@sha512:${sha256}`, message: /sha512 digest needs exactly 128 hex digits/ },
  { input: `validname@invaliddigest:${'f'.repeat(64)}`, message: /algorithm "invaliddigest" is not supported/ },
  { input: `repo@md5:${'f'.repeat(32)}`, message: /algorithm "md5" is not supported/ },
  { input: 'repo@sha256:abc', message: /not of the form "algorithm:hex"/ },
  { input: `repo@${sha256}`, message: /not of the form "algorithm:hex"/ },
  { input: `repo@sha256:${'g'.repeat(64)}`, message: /not of the form "algorithm:hex"/ },
  { input: `repo@sha256:${sha256}@sha256:${sha256}`, message: /not of the form "algorithm:hex"/ },
  // a bare image ID is not a repository name
  { input: sha256, message: /image ID, not a repository name/ },
  // length limit: 256 characters fully qualified
  { input: 'a'.repeat(238), message: /\(docker\.io\/…\) is 256 characters long; at most 255/ },
  { input: `localhost:5000/${'a'.repeat(241)}`, message: /is 256 characters long; at most 255/ },
  { input: `${'a/'.repeat(128)}a:tag`, message: /characters long; at most 255/ },
  {
    input:
      'this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255/docker',
    message: /at most 255/,
  },
];

describe('parseReference: invalid references', () => {
  it.each(invalidCases)('$input', ({ input, message }) => {
    let caught: unknown;
    try {
      parseReference(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    const error = caught as InvalidArgumentError;
    expect(error.argument).toBe('reference');
    expect(error.message).toContain(`Invalid image reference ${JSON.stringify(input)}`);
    expect(error.message).toMatch(message);
    expect(isValidReference(input)).toBe(false);
  });

  it('refuses a value that is not a string', () => {
    expect(() => parseReference(42 as unknown as string)).toThrow(InvalidArgumentError);
    expect(() => parseReference(42 as unknown as string)).toThrow(/expected a string, got number/);
  });
});

describe('parseReference: table sizes', () => {
  it('covers at least 60 reference cases', () => {
    expect(validCases.length + invalidCases.length).toBeGreaterThanOrEqual(60);
  });
});
