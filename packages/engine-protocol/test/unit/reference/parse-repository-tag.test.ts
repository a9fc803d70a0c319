import { describe, expect, it } from 'vitest';
import { parseRepositoryTag } from '../../../src/index.js';

// The sha docker-py's own ParseRepositoryTagTest uses.
const sha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const cases: Array<[input: string, repository: string, tagOrDigest: string | undefined]> = [
  // docker-py's test cases
  ['root', 'root', undefined],
  ['root:tag', 'root', 'tag'],
  ['user/repo', 'user/repo', undefined],
  ['user/repo:tag', 'user/repo', 'tag'],
  ['url:5000/repo', 'url:5000/repo', undefined],
  ['url:5000/repo:tag', 'url:5000/repo', 'tag'],
  [`root@sha256:${sha}`, 'root', `sha256:${sha}`],
  [`url:5000/repo@sha256:${sha}`, 'url:5000/repo', `sha256:${sha}`],
  // the same rules on further shapes
  ['localhost:5000/app', 'localhost:5000/app', undefined],
  ['localhost:5000/a/b:tag', 'localhost:5000/a/b', 'tag'],
  ['[::1]:5000/app', '[::1]:5000/app', undefined],
  ['[::1]:5000/app:v1', '[::1]:5000/app', 'v1'],
  // a tag before a digest stays with the repository: the digest wins
  [`app:1.0@sha256:${sha}`, 'app:1.0', `sha256:${sha}`],
  // the last "@" and the last ":" count
  ['a@b@c', 'a@b', 'c'],
  ['a:b:c', 'a:b', 'c'],
  // no validation: empty and odd parts come back as they are
  ['root:', 'root', ''],
  ['root@', 'root', ''],
  [':tag', '', 'tag'],
  ['', '', undefined],
  ['Upper:Case', 'Upper', 'Case'],
];

describe('parseRepositoryTag', () => {
  it.each(cases)('%s', (input, repository, tagOrDigest) => {
    expect(parseRepositoryTag(input)).toEqual([repository, tagOrDigest]);
  });
});
