// The package.json fields every published package must have, derived from the package's own
// exports and the repository's metadata (root package.json). `canonicalManifest` returns the
// fixed manifest; `manifestProblems` says what differs. `pnpm package:fix` writes the fix.
import { REPOSITORY_ROOT, readJson } from './workspace.mjs';
import path from 'node:path';

export const BUILD_SCRIPT = 'tsc --build && node ../../tools/package-kit/build-package.mjs';
export const LINT_SCRIPT = 'publint --strict && node ../../tools/package-kit/check-package.mjs';
export const FILES = ['dist', '!dist/.tsbuildinfo'];
/** Ranges between published packages. See docs/contributing.md, "Releases". */
export const INTERNAL_RANGE = 'workspace:^';
export const INTERNAL_PEER_RANGE = 'workspace:>=0.0.0 <1';
// devDependencies are left alone: they never reach users, and changesets does not bump for them.
const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies'];

/** Repository metadata every package copies: root package.json's repository, homepage, bugs. */
export function repositoryMetadata() {
  const root = readJson(path.join(REPOSITORY_ROOT, 'package.json'));
  const url = root.repository?.url;
  if (typeof url !== 'string' || typeof root.homepage !== 'string' || typeof root.bugs?.url !== 'string') {
    throw new Error('root package.json needs repository.url, homepage and bugs.url');
  }
  return { url, homepage: root.homepage, bugs: root.bugs.url };
}

/**
 * The canonical conditions of one entry point, from the path of its ESM JavaScript file
 * (`./dist/x.js`). `module-sync` first: Node ≥ 20.19 / 22.12 then loads the ESM build for both
 * `import` and `require()` (one copy of every module), older runtimes and tools pick `import`
 * or `require`, and TypeScript reads the `types` next to the condition it resolves through.
 */
export function entryConditions(esmJavaScript) {
  const match = /^\.\/dist\/(.+)\.js$/.exec(esmJavaScript);
  if (match === null) throw new Error(`entry point ${esmJavaScript} is not a ./dist/*.js file`);
  const stem = match[1];
  return {
    'module-sync': `./dist/${stem}.js`,
    import: { types: `./dist/${stem}.d.ts`, default: `./dist/${stem}.js` },
    require: { types: `./dist/cjs/${stem}.d.ts`, default: `./dist/cjs/${stem}.js` },
  };
}

/** The ESM JavaScript file an export entry names, whatever shape it has today. */
function esmFileOf(entry) {
  if (typeof entry === 'string') return entry;
  if (entry === null || typeof entry !== 'object') return undefined;
  for (const key of ['module-sync', 'import', 'default', 'node']) {
    const found = esmFileOf(entry[key]);
    if (found !== undefined && !found.startsWith('./dist/cjs/')) return found;
  }
  return undefined;
}

function canonicalExports(exports) {
  if (exports === undefined) throw new Error('no "exports" map: add at least { ".": "./dist/index.js" }');
  const entries = typeof exports === 'string' || exports['import'] !== undefined ? { '.': exports } : exports;
  const result = {};
  for (const [subpath, entry] of Object.entries(entries)) {
    if (subpath === './package.json') continue;
    const esm = esmFileOf(entry);
    if (esm === undefined) throw new Error(`cannot find the ESM file of export "${subpath}"`);
    result[subpath] = entryConditions(esm);
  }
  if (result['.'] === undefined) throw new Error('the exports map has no "." entry');
  result['./package.json'] = './package.json';
  return result;
}

function canonicalRanges(dependencies, range) {
  if (dependencies === undefined) return undefined;
  const result = {};
  for (const [name, version] of Object.entries(dependencies)) {
    result[name] = name.startsWith('@berth/') && String(version).startsWith('workspace:') ? range : version;
  }
  return result;
}

/**
 * The manifest with every machinery-owned field fixed, other fields and their order kept.
 * New fields go next to related ones so the diff stays small.
 */
export function canonicalManifest(manifest, relativeDirectory, metadata = repositoryMetadata()) {
  const exports = canonicalExports(manifest.exports);
  const fixed = {
    description: manifest.description,
    keywords: manifest.keywords ?? ['docker', 'docker-engine-api', 'containers', 'typescript'],
    homepage: `${metadata.homepage.replace(/#.*$/, '')}/tree/main/${relativeDirectory}#readme`,
    bugs: { url: metadata.bugs },
    repository: { type: 'git', url: metadata.url, directory: relativeDirectory },
    license: 'Apache-2.0',
    main: exports['.'].require.default,
    types: exports['.'].require.types,
    exports,
    files: FILES,
    scripts: { ...manifest.scripts, build: BUILD_SCRIPT, lint: LINT_SCRIPT },
  };
  for (const field of DEPENDENCY_FIELDS) {
    if (manifest[field] !== undefined) fixed[field] = canonicalRanges(manifest[field], INTERNAL_RANGE);
  }
  if (manifest.peerDependencies !== undefined) fixed.peerDependencies = canonicalRanges(manifest.peerDependencies, INTERNAL_PEER_RANGE);

  // Keep the existing order; place missing keys after an anchor that exists.
  const after = { keywords: 'description', homepage: 'keywords', bugs: 'homepage', repository: 'bugs', license: 'repository', main: 'engines', types: 'main', exports: 'types', files: 'exports' };
  const order = Object.keys(manifest);
  for (const key of Object.keys(fixed)) {
    if (order.includes(key)) continue;
    const anchor = after[key];
    const at = anchor === undefined ? -1 : order.indexOf(anchor);
    order.splice(at === -1 ? order.length : at + 1, 0, key);
  }
  const result = {};
  for (const key of order) result[key] = key in fixed ? fixed[key] : manifest[key];
  return result;
}

/** One line per machinery-owned field that differs from the canonical manifest. */
export function manifestProblems(manifest, relativeDirectory, metadata = repositoryMetadata()) {
  const problems = [];
  let canonical;
  try {
    canonical = canonicalManifest(manifest, relativeDirectory, metadata);
  } catch (error) {
    return [error.message];
  }
  for (const key of Object.keys(canonical)) {
    if (JSON.stringify(canonical[key]) !== JSON.stringify(manifest[key])) {
      problems.push(`"${key}" should be ${JSON.stringify(canonical[key])}`);
    }
  }
  if (typeof manifest.description !== 'string' || manifest.description.trim() === '') problems.push('"description" is missing');
  if (!Array.isArray(manifest.keywords) || !manifest.keywords.includes('docker')) problems.push('"keywords" must include "docker"');
  if (typeof manifest.engines?.node !== 'string') problems.push('"engines.node" is missing');
  if (manifest.type !== 'module') problems.push('"type" must be "module" (src/ is ESM; the CommonJS build is generated)');
  return problems;
}
