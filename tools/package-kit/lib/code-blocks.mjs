// Finds the TypeScript code people read: fenced ```ts blocks in Markdown, and the fenced blocks
// of every TSDoc `@example` in the published packages' sources.
//
// A block whose info string says `fragment` (```ts fragment) is intentionally not a program (a
// shape, a signature, an excerpt): it is counted and listed, never compiled. Everything else is
// compiled by check-code-blocks.mjs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPOSITORY_ROOT, publishedPackages } from './workspace.mjs';

/**
 * @typedef {{
 *   file: string,            // repository-relative path
 *   line: number,            // 1-based line of the first code line
 *   code: string,
 *   fragment: boolean,
 *   origin: 'markdown' | 'example',
 *   packageName?: string,    // for @example blocks: the package whose source holds it
 * }} CodeBlock
 */

const TYPESCRIPT = new Set(['ts', 'typescript', 'mts', 'cts']);

/** Markdown files whose blocks are checked: every README.md outside node_modules, and docs/*.md. */
export function markdownFiles() {
  const found = [];
  const visit = (directory) => {
    for (const entry of readdirSync(directory)) {
      if (entry === 'node_modules' || entry.startsWith('.') || entry === 'dist') continue;
      const full = path.join(directory, entry);
      if (statSync(full).isDirectory()) visit(full);
      else if (entry === 'README.md' || (path.dirname(full) === path.join(REPOSITORY_ROOT, 'docs') && entry.endsWith('.md'))) found.push(full);
    }
  };
  visit(REPOSITORY_ROOT);
  return found.sort();
}

/** Fenced blocks of a text whose lines may carry a prefix (` * ` in comments). */
function fencedBlocks(lines, firstLine, stripPrefix) {
  const blocks = [];
  for (let index = 0; index < lines.length; index += 1) {
    const opening = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)(.*)$/.exec(stripPrefix(lines[index]));
    if (opening === null) continue;
    const [, indent, fence, language, rest] = opening;
    const body = [];
    let end = index + 1;
    for (; end < lines.length; end += 1) {
      const text = stripPrefix(lines[end]);
      if (text.trim().startsWith(fence) && text.trim().replace(/[`~]/g, '') === '') break;
      body.push(text.startsWith(indent) ? text.slice(indent.length) : text);
    }
    blocks.push({
      language: language.toLowerCase(),
      attributes: rest.trim().split(/\s+/).filter(Boolean),
      code: body.join('\n'),
      line: firstLine + index + 1,
    });
    index = end;
  }
  return blocks;
}

/** @returns {CodeBlock[]} */
export function markdownBlocks(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  return fencedBlocks(lines, 1, (line) => line)
    .filter((block) => TYPESCRIPT.has(block.language))
    .map((block) => ({
      file: path.relative(REPOSITORY_ROOT, file),
      line: block.line,
      code: block.code,
      fragment: block.attributes.includes('fragment'),
      origin: 'markdown',
    }));
}

/**
 * The fenced TypeScript blocks of every `@example` in one source file.
 * @returns {{ blocks: CodeBlock[], unfenced: { file: string, line: number }[] }}
 */
export function exampleBlocks(file, packageName) {
  const text = readFileSync(file, 'utf8');
  const relative = path.relative(REPOSITORY_ROOT, file);
  const blocks = [];
  const unfenced = [];
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const startLine = text.slice(0, comment.index).split('\n').length;
    const lines = comment[0].split('\n');
    const strip = (line) => line.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\s*\*\/\s*$/, '');
    for (let index = 0; index < lines.length; index += 1) {
      if (!/(^|\s)@example\b/.test(strip(lines[index]))) continue;
      let end = index + 1;
      while (end < lines.length && !/^@\w/.test(strip(lines[end]).trim())) end += 1;
      const section = lines.slice(index + 1, end);
      const found = fencedBlocks(section, startLine + index + 1, strip);
      if (found.length === 0) unfenced.push({ file: relative, line: startLine + index });
      for (const block of found) {
        if (!TYPESCRIPT.has(block.language)) {
          unfenced.push({ file: relative, line: block.line - 1 });
          continue;
        }
        blocks.push({ file: relative, line: block.line, code: block.code, fragment: block.attributes.includes('fragment'), origin: 'example', packageName });
      }
      index = end - 1;
    }
  }
  return { blocks, unfenced };
}

/** The TypeScript sources of a package (src/, without declarations), sorted. */
export function sourceFilesOf(packageDirectory) {
  const files = [];
  const visit = (directory) => {
    for (const entry of readdirSync(directory).sort()) {
      const full = path.join(directory, entry);
      if (statSync(full).isDirectory()) visit(full);
      else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts') && !entry.startsWith('__code_block_')) files.push(full);
    }
  };
  visit(path.join(packageDirectory, 'src'));
  return files;
}

/** Every block the checker looks at. */
export function allCodeBlocks() {
  const blocks = [];
  const unfenced = [];
  for (const file of markdownFiles()) blocks.push(...markdownBlocks(file));
  for (const workspacePackage of publishedPackages()) {
    for (const file of sourceFilesOf(workspacePackage.directory)) {
      const found = exampleBlocks(file, workspacePackage.name);
      blocks.push(...found.blocks);
      unfenced.push(...found.unfenced);
    }
  }
  return { blocks, unfenced };
}
