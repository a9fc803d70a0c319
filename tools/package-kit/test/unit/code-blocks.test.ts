// The code-block checker finds the blocks people read, compiles them the documented way, and
// fails on a block that does not compile (so "every block compiles" can be believed).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleBlocks, markdownBlocks } from '../../lib/code-blocks.mjs';
import { compileBlocks } from '../../lib/compile-blocks.mjs';

const folder = mkdtempSync(path.join(tmpdir(), 'berth-code-blocks-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('finding blocks', () => {
  it('takes ```ts and ```typescript blocks from Markdown, marks ```ts fragment, ignores other languages', () => {
    const file = path.join(folder, 'README.md');
    writeFileSync(file, ['# x', '```ts', 'const a = 1;', '```', '```sh', 'ls', '```', '```typescript fragment', '{ a, b }', '```', ''].join('\n'));
    const blocks = markdownBlocks(file);
    expect(blocks.map((block) => ({ line: block.line, code: block.code, fragment: block.fragment }))).toEqual([
      { line: 3, code: 'const a = 1;', fragment: false },
      { line: 9, code: '{ a, b }', fragment: true },
    ]);
  });

  it('takes the fenced block of each @example in a comment, and reports an @example without one', () => {
    const file = path.join(folder, 'source.ts');
    writeFileSync(
      file,
      [
        '/**',
        ' * Does a thing.',
        ' *',
        ' * @example',
        ' * ```ts',
        ' * const value = thing();',
        ' *   console.log(value);',
        ' * ```',
        ' */',
        'export function thing(): number { return 1; }',
        '/**',
        ' * @example',
        ' * thing();',
        ' */',
        'export const other = 2;',
      ].join('\n'),
    );
    const { blocks, unfenced } = exampleBlocks(file, '@berth/example');
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ line: 6, code: 'const value = thing();\n  console.log(value);', origin: 'example', packageName: '@berth/example' });
    expect(unfenced).toHaveLength(1);
    expect(unfenced[0]!.line).toBe(12);
  });
});

describe('compiling blocks', () => {
  const markdown = (code: string, fragment = false) => ({ file: 'docs/guide.md', line: 1, code, fragment, origin: 'markdown' as const });
  const example = (code: string) => ({
    file: 'packages/engine-protocol/src/endpoints/list-images.ts',
    line: 1,
    code,
    fragment: false,
    origin: 'example' as const,
    packageName: '@berth/engine-protocol',
  });

  it('compiles good blocks, fails bad ones with the place and the compiler message, never compiles fragments', () => {
    const good = markdown("import { createEngineClient } from '@berth/engine-protocol';\nimport { unixTransport } from '@berth/transport-unix';\nconst client = createEngineClient({ transport: unixTransport() });\nawait client.close();");
    const wrongName = markdown("import { saveImage } from '@berth/engine-protocol';\nconsole.log(saveImage);");
    const wrongType = markdown("import { unixTransport } from '@berth/transport-unix';\nunixTransport({ socketPath: 42 });");
    const incomplete = markdown('await client.close();');
    const fragment = markdown('{ type, description, dispatcher }', true);
    // An @example gets its imports and its given variables (`client`), with their real types.
    const goodExample = example('const images = await listImages(client, { all: true });\nconsole.log(images.length);');
    const badExample = example("await listImages(client, { all: 'yes' });");
    const failures = compileBlocks([good, wrongName, wrongType, incomplete, fragment, goodExample, badExample]);
    expect(failures.map((failure) => failure.block)).toEqual([wrongName, wrongType, incomplete, badExample]);
    expect(failures[0]!.messages.join('\n')).toMatch(/^docs\/guide\.md:1: TS2\d+ .*saveImage/);
    expect(failures[1]!.messages.join('\n')).toMatch(/^docs\/guide\.md:2: TS2322 /);
    // Markdown blocks get no given variables: they must be complete.
    expect(failures[2]!.messages.join('\n')).toContain("Cannot find name 'client'");
    expect(failures[3]!.messages.join('\n')).toMatch(/list-images\.ts:1: TS2322 /);
  }, 120_000);
});
