#!/usr/bin/env node
// The second half of every published package's `build` script, run in the package's folder
// after `tsc --build` (which type-checks and emits the ESM build into dist/):
//
//   1. emits the CommonJS build of the same sources into dist/cjs (JavaScript and declarations)
//      and marks that folder `"type": "commonjs"`, so Node and TypeScript read it as CommonJS;
//   2. copies the repository's LICENSE into the package folder, where `pnpm pack` picks it up.
//
// Why a dual build, and why `module-sync` comes first in the exports map: docs/architecture.md.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compileFunction } from 'node:vm';
import { createRequire } from 'node:module';
import { REPOSITORY_ROOT } from './lib/workspace.mjs';

// require(), not import: an ESM import of typescript.js makes Node scan all 9 MB of it for
// named exports first (about a second).
const ts = createRequire(import.meta.url)('typescript');

const packageDirectory = process.cwd();
const manifest = JSON.parse(readFileSync(path.join(packageDirectory, 'package.json'), 'utf8'));
const formatHost = { getCanonicalFileName: (name) => name, getCurrentDirectory: () => packageDirectory, getNewLine: () => '\n' };
const fail = (message) => {
  console.error(`[build-package] ${manifest.name}: ${message}`);
  process.exit(1);
};

const configPath = path.join(packageDirectory, 'tsconfig.json');
const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (diagnostic) => fail(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')),
});
if (parsed === undefined) fail('cannot read tsconfig.json');
const esmOutDir = parsed.options.outDir;
if (esmOutDir === undefined || path.resolve(esmOutDir) !== path.join(packageDirectory, 'dist')) {
  fail('tsconfig.json must emit into dist/ (outDir "dist")');
}
const commonJsOutDir = path.join(esmOutDir, 'cjs');
rmSync(commonJsOutDir, { recursive: true, force: true });

// Every file is transpiled on its own: the sources are written for that (isolatedModules and
// verbatimModuleSyntax, so type-only imports are marked and vanish), and it costs a fraction of
// a second where a second program would cost a full type check.
const compilerOptions = {
  ...parsed.options,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  verbatimModuleSyntax: false,
  isolatedModules: true,
  // `import ssh2 from 'ssh2'` must read module.exports, as Node's ESM interop does.
  esModuleInterop: true,
  declaration: false,
  composite: false,
  incremental: false,
  sourceMap: false,
  inlineSourceMap: false,
};
delete compilerOptions.tsBuildInfoFile;
const sourceRoot = parsed.options.rootDir ?? path.join(packageDirectory, 'src');
for (const sourceFile of parsed.fileNames) {
  if (sourceFile.endsWith('.d.ts')) continue;
  const relative = path.relative(sourceRoot, sourceFile);
  const output = ts.transpileModule(readFileSync(sourceFile, 'utf8'), { compilerOptions, fileName: sourceFile, reportDiagnostics: true });
  if (output.diagnostics?.length) {
    fail(`cannot transpile ${relative} to CommonJS:\n${ts.formatDiagnostics(output.diagnostics, formatHost)}`);
  }
  const target = path.join(commonJsOutDir, relative.replace(/\.ts$/, '.js'));
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, output.outputText);
}
// The declarations are the ESM build's: the same text reads as CommonJS declarations under
// dist/cjs (type: commonjs), where `@berth/*` imports resolve to the other packages' CommonJS
// declarations through their `require` condition.
for (const declaration of walk(esmOutDir)) {
  if (declaration.startsWith(commonJsOutDir + path.sep) || !declaration.endsWith('.d.ts')) continue;
  const target = path.join(commonJsOutDir, path.relative(esmOutDir, declaration));
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(declaration, target);
}
writeFileSync(path.join(commonJsOutDir, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);

// What CommonJS cannot express (import.meta, top-level await: the emit passes both through
// unchecked) has to fail here, not in a user's require(): compile every file as Node would.
for (const file of walk(commonJsOutDir)) {
  if (!file.endsWith('.js')) continue;
  try {
    compileFunction(readFileSync(file, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
  } catch (error) {
    fail(`${path.relative(packageDirectory, file)} is not valid CommonJS (${error.message}); src/ must not use import.meta or top-level await`);
  }
}

const license = path.join(REPOSITORY_ROOT, 'LICENSE');
if (!existsSync(license)) fail(`no LICENSE at the repository root (${license})`);
copyFileSync(license, path.join(packageDirectory, 'LICENSE'));

function* walk(directory) {
  for (const entry of readdirSync(directory)) {
    const full = path.join(directory, entry);
    if (statSync(full).isDirectory()) yield* walk(full);
    else yield full;
  }
}
