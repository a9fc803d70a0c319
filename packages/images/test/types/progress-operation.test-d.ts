// Type-level tests of ProgressOperation, checked by `pnpm type-check` (tsc -p test/types):
// every `@ts-expect-error` below must be an error, or the check fails. Nothing here runs.
import { expectTypeOf } from 'vitest';
import { ProgressOperation, type Image, type ImageCollection, type ProgressEvent } from '../../src/index.js';

declare const images: ImageCollection;
declare const pulling: ProgressOperation<Image>;

// Typed like a Promise: a typed rejection handler compiles, as with Promise.prototype.catch.
export const caught = pulling.catch((error: Error) => error.message);
expectTypeOf(caught).toEqualTypeOf<Promise<Image | string>>();
export const handled = pulling.then(
  (image) => image.id,
  (error: Error) => error.name,
);
expectTypeOf(handled).toEqualTypeOf<Promise<string>>();
export const finished = pulling.finally(() => undefined);
expectTypeOf(finished).toEqualTypeOf<Promise<Image>>();

// Assignable wherever a Promise is expected, and awaitable to its result.
export const asPromise: Promise<Image> = images.pull('localhost:5000/app');
export async function awaited(): Promise<void> {
  expectTypeOf(await images.pull('localhost:5000/app')).toEqualTypeOf<Image>();
  expectTypeOf(await Promise.all([pulling, images.push('localhost:5000/app')])).toMatchTypeOf<[Image, unknown]>();
  for await (const event of pulling) expectTypeOf(event).toEqualTypeOf<ProgressEvent>();
}

// The result stays typed: a handler cannot claim a different value type.
// @ts-expect-error the value is an Image, not a number
export const wrong = pulling.then((value: number) => value);
