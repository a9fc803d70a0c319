// Compiles code blocks found by code-blocks.mjs with TypeScript; used by check-code-blocks.mjs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { sourceFilesOf } from './code-blocks.mjs';
import { KIT_DIRECTORY, REPOSITORY_ROOT, publishedPackages } from './workspace.mjs';

const ts = createRequire(import.meta.url)('typescript');
const EXAMPLE_VARIABLES = JSON.parse(readFileSync(path.join(KIT_DIRECTORY, 'example-variables.json'), 'utf8'));
/** Names an @example may use without importing them, and where they come from. */
const NODE_NAMES = {
  'node:fs': ['createReadStream', 'createWriteStream', 'readFileSync', 'existsSync'],
  'node:fs/promises': ['readFile', 'writeFile', 'readdir', 'lstat', 'stat', 'mkdtemp', 'rm'],
  'node:path': ['join', 'resolve', 'dirname', 'basename'],
  'node:os': ['homedir', 'tmpdir'],
  'node:stream': ['Readable', 'Writable', 'Duplex'],
  'node:stream/promises': ['pipeline'],
  undici: ['Agent'],
};

const compilerOptions = {
  target: ts.ScriptTarget.ES2023,
  lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
  typeRoots: [path.join(KIT_DIRECTORY, 'node_modules/@types')],
  allowImportingTsExtensions: false,
};

/**
 * Compiles the blocks that are not fragments, each as its own module (see check-code-blocks.mjs
 * for the rules).
 * @param {import('./code-blocks.mjs').CodeBlock[]} blocks
 * @returns {{ block: import('./code-blocks.mjs').CodeBlock, messages: string[] }[]} the failures
 */
export function compileBlocks(blocks) {
  const checked = blocks.filter((block) => !block.fragment);

  // Where each block is compiled: an @example beside its source file's declarations in dist/ (so
  // its own module, its package and the package's dependencies all resolve to the built
  // declarations, as they do for a user), a Markdown block in the kit, whose node_modules holds
  // every published package.
  const virtualFiles = new Map();
  for (const [index, block] of checked.entries()) {
    let directory = KIT_DIRECTORY;
    if (block.origin === 'example') {
      const source = path.join(REPOSITORY_ROOT, block.file);
      const packageDirectory = path.join(REPOSITORY_ROOT, block.file.split('/').slice(0, 2).join('/'));
      directory = path.join(packageDirectory, 'dist', path.relative(path.join(packageDirectory, 'src'), path.dirname(source)));
    }
    block.virtualPath = path.join(directory, `__code_block_${index}.mts`);
  }

  // Pass 1: what each source file and each package's main entry exports.
  const packages = publishedPackages();
  const sourceFiles = packages.flatMap((workspacePackage) => sourceFilesOf(workspacePackage.directory));
  const entryProbe = path.join(KIT_DIRECTORY, '__entries__.mts');
  const packageNames = packages.map((workspacePackage) => workspacePackage.name);
  const probeText = packageNames.map((name, index) => `export * as entry${index} from '${name}';`).join('\n');
  const exportsProgram = ts.createProgram({
    rootNames: [...sourceFiles, entryProbe],
    options: compilerOptions,
    host: hostWith(new Map([[entryProbe, probeText]])),
  });
  const checker = exportsProgram.getTypeChecker();
  const exportsOfFile = new Map();
  for (const file of sourceFiles) {
    const symbol = checker.getSymbolAtLocation(exportsProgram.getSourceFile(file));
    exportsOfFile.set(file, symbol === undefined ? [] : checker.getExportsOfModule(symbol).map((exported) => exported.name));
  }
  const exportsOfPackage = new Map();
  {
    const probe = exportsProgram.getSourceFile(entryProbe);
    const probeSymbol = checker.getSymbolAtLocation(probe);
    for (const [index, name] of packageNames.entries()) {
      const namespace = checker.getExportsOfModule(probeSymbol).find((exported) => exported.name === `entry${index}`);
      const target = namespace === undefined ? undefined : checker.getAliasedSymbol(namespace);
      exportsOfPackage.set(name, target === undefined ? [] : checker.getExportsOfModule(target).map((exported) => exported.name));
    }
  }

  // Pass 2: one program with every block as its own module.
  for (const block of checked) virtualFiles.set(block.virtualPath, moduleText(block));
  const program = ts.createProgram({
    rootNames: [...virtualFiles.keys()],
    options: compilerOptions,
    host: hostWith(virtualFiles),
  });
  const failures = [];
  for (const block of checked) {
    const sourceFile = program.getSourceFile(block.virtualPath);
    const diagnostics = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    if (diagnostics.length === 0) continue;
    const offset = virtualFiles.get(block.virtualPath).split('\n').length - 1 - block.code.split('\n').length;
    const messages = diagnostics.map((diagnostic) => {
      const { line } = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : { line: offset };
      const sourceLine = block.line + Math.max(0, line - offset);
      return `${block.file}:${sourceLine}: TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
    });
    failures.push({ block, messages });
  }
  return failures;

  /** The block as a module: its own text after the imports and variables an @example may leave out. */
  function moduleText(block) {
    const declared = topLevelNames(block.code);
    const lines = ['// Generated by tools/package-kit/check-code-blocks.mjs'];
    if (block.origin === 'example') {
      const used = new Set(block.code.match(/[A-Za-z_$][\w$]*/g) ?? []);
      const missing = new Set([...used].filter((name) => !declared.has(name)));
      const imports = new Map();
      const take = (specifier, names) => {
        const taken = names.filter((name) => missing.has(name));
        for (const name of taken) missing.delete(name);
        if (taken.length > 0) imports.set(specifier, [...(imports.get(specifier) ?? []), ...taken]);
      };
      const sourceFile = path.join(REPOSITORY_ROOT, block.file);
      const workspacePackage = packages.find((candidate) => candidate.name === block.packageName);
      const relativeSpecifier = (file) => {
        const relative = path.relative(path.dirname(sourceFile), file).replace(/\.ts$/, '.js').split(path.sep).join('/');
        return relative.startsWith('.') ? relative : `./${relative}`;
      };
      take(relativeSpecifier(sourceFile), exportsOfFile.get(sourceFile) ?? []);
      take(block.packageName, exportsOfPackage.get(block.packageName) ?? []);
      for (const file of sourceFilesOf(workspacePackage.directory)) take(relativeSpecifier(file), exportsOfFile.get(file) ?? []);
      for (const dependency of Object.keys({ ...workspacePackage.manifest.dependencies, ...workspacePackage.manifest.peerDependencies })) {
        if (exportsOfPackage.has(dependency)) take(dependency, exportsOfPackage.get(dependency));
      }
      for (const [specifier, names] of Object.entries(NODE_NAMES)) take(specifier, names);
      for (const [specifier, names] of imports) lines.push(`import { ${names.join(', ')} } from '${specifier}';`);
      // "*", then the package's entry, then entries keyed by a path prefix of the block's file.
      const fileScopes = Object.keys(EXAMPLE_VARIABLES).filter((key) => key.includes('/') && block.file.startsWith(key)).sort((a, b) => a.length - b.length);
      const variables = Object.assign({}, EXAMPLE_VARIABLES['*'], EXAMPLE_VARIABLES[block.packageName], ...fileScopes.map((key) => EXAMPLE_VARIABLES[key]));
      for (const name of missing) {
        if (Object.hasOwn(variables, name)) lines.push(`declare const ${name}: ${typeFromAnyPackage(variables[name])};`);
      }
    }
    lines.push('export {};');
    return `${lines.join('\n')}\n${block.code}\n`;
  }

  /**
   * A variable's type may name any published package (`import('@berth/docker').Docker`), even
   * one the example's package does not depend on: point it at that package's built entry.
   */
  function typeFromAnyPackage(type) {
    return type.replace(/import\('(@berth\/[^']+)'\)/g, (whole, name) => {
      const target = packages.find((candidate) => candidate.name === name);
      return target === undefined ? whole : `import('${path.join(target.directory, 'dist/index.js')}')`;
    });
  }

  /** Names a block declares or imports at its top level (they win over automatic imports). */
  function topLevelNames(code) {
    const names = new Set();
    const source = ts.createSourceFile('block.mts', code, ts.ScriptTarget.ES2023, false, ts.ScriptKind.TS);
    const addBinding = (name) => {
      if (ts.isIdentifier(name)) names.add(name.text);
      else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name);
    };
    for (const statement of source.statements) {
      if (ts.isVariableStatement(statement)) for (const declaration of statement.declarationList.declarations) addBinding(declaration.name);
      else if (ts.isImportDeclaration(statement) && statement.importClause) {
        const clause = statement.importClause;
        if (clause.name) names.add(clause.name.text);
        if (clause.namedBindings && ts.isNamespaceImport(clause.namedBindings)) names.add(clause.namedBindings.name.text);
        if (clause.namedBindings && ts.isNamedImports(clause.namedBindings)) for (const element of clause.namedBindings.elements) names.add(element.name.text);
      } else if ('name' in statement && statement.name && ts.isIdentifier(statement.name)) names.add(statement.name.text);
    }
    return names;
  }

  /** A compiler host that also serves in-memory files. */
  function hostWith(files) {
    const host = ts.createCompilerHost(compilerOptions);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) =>
      files.has(fileName) ? ts.createSourceFile(fileName, files.get(fileName), languageVersion, true) : getSourceFile(fileName, languageVersion, onError, shouldCreate);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (fileName) => files.has(fileName) || fileExists(fileName);
    const readFile = host.readFile.bind(host);
    host.readFile = (fileName) => files.get(fileName) ?? readFile(fileName);
    return host;
  }
}
