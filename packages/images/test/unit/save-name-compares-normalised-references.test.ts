// Regression (issue 9, bug 1): Image.save({ named }) compared strings literally, so
// 'docker.io/library/bb:latest' was refused on Engine 20.10 (which tags 'bb:latest') and every
// short name was refused on Podman (which tags 'docker.io/…' and 'localhost/…').
import { InvalidArgumentError } from '@berth/engine-protocol';
import { describe, expect, it } from 'vitest';
import { resolveSaveName } from '../../src/save/resolve-save-name.js';

const image = (tags: string[]) => ({ id: 'sha256:' + 'a'.repeat(64), shortId: 'sha256:aaaaaaaaaaaa', tags });

describe('resolveSaveName', () => {
  it.each([
    [['bb:latest'], 'docker.io/library/bb:latest', 'bb:latest'],
    [['bb:latest'], 'bb', 'bb:latest'],
    [['docker.io/library/bb:latest'], 'bb:latest', 'docker.io/library/bb:latest'],
    [['docker.io/berth-it/save:v2', 'docker.io/berth-it/save:v1'], 'berth-it/save:v2', 'docker.io/berth-it/save:v2'],
    [['localhost/app:v1'], 'app:v1', 'localhost/app:v1'],
    [['127.0.0.1:5000/app:v1'], '127.0.0.1:5000/app:v1', '127.0.0.1:5000/app:v1'],
    // The exact reference wins over a looser match.
    [['localhost/app:v1', 'app:v1'], 'app:v1', 'app:v1'],
  ])('matches %j for %j, sending the engine spelling', (tags, named, expected) => {
    expect(resolveSaveName(image(tags), named)).toBe(expected);
  });

  it('uses the id for false and the first tag for true', () => {
    expect(resolveSaveName(image(['a:1', 'b:2']), false)).toBe(image([]).id);
    expect(resolveSaveName(image(['a:1', 'b:2']), true)).toBe('a:1');
    expect(resolveSaveName(image([]), true)).toBe(image([]).id);
  });

  it.each([
    [['bb:latest'], 'bb:other'],
    [['127.0.0.1:5000/app:v1'], 'app:v1'],
    [['bb:latest'], 'Not A Reference'],
    [['bb:latest'], `bb@sha256:${'b'.repeat(64)}`],
  ])('refuses %j for %j, naming the tags', (tags, named) => {
    const refused = () => resolveSaveName(image(tags), named);
    expect(refused).toThrow(InvalidArgumentError);
    expect(refused).toThrow(expect.objectContaining({ argument: 'named', details: `Its tags: ${tags.join(', ')}.` }));
  });
});
