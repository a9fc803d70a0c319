// Every published package follows the documented pattern (docs/contributing.md, "Adding a
// package"), so the machinery reaches it: a new package that skipped a step fails here, in the
// unit tests, with what to do.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestProblems } from '../../lib/manifest.mjs';
import { KIT_DIRECTORY, publishedPackages } from '../../lib/workspace.mjs';
import { reportName, REPORT_FOLDER } from '../../lib/api-report.mjs';

const kit = JSON.parse(readFileSync(path.join(KIT_DIRECTORY, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
const budgets = JSON.parse(readFileSync(path.join(KIT_DIRECTORY, 'size-budgets.json'), 'utf8')) as { packedBytes: Record<string, number> };

describe.each(publishedPackages().map((entry) => [entry.name, entry] as const))('%s', (_name, workspacePackage) => {
  it('has the machinery-owned package.json fields (`pnpm package:fix` writes them)', () => {
    expect(manifestProblems(workspacePackage.manifest, workspacePackage.relativeDirectory)).toEqual([]);
  });

  it('is a devDependency of @berth/package-kit (so turbo builds it before the consumer and docs checks)', () => {
    expect(kit.devDependencies[workspacePackage.name], `add "${workspacePackage.name}": "workspace:*" to tools/package-kit/package.json`).toBe('workspace:*');
  });

  it('has a packed-size budget and a committed API report per entry point', () => {
    expect(budgets.packedBytes[workspacePackage.name], 'tools/package-kit/size-budgets.json').toBeGreaterThan(0);
    for (const subpath of Object.keys(workspacePackage.manifest['exports'] as object).filter((key) => key !== './package.json')) {
      const report = path.join(workspacePackage.directory, REPORT_FOLDER, `${reportName(workspacePackage.name, subpath)}.api.md`);
      expect(existsSync(report), `${report} (run \`pnpm api:update\`)`).toBe(true);
    }
  });
});

describe('manifestProblems', () => {
  const metadata = { url: 'git+https://example.invalid/berth.git', homepage: 'https://example.invalid/berth#readme', bugs: 'https://example.invalid/berth/issues' };

  it('finds what an ESM-only package of the old pattern lacks, and canonical fields pass', async () => {
    const old = {
      name: '@berth/new-thing',
      version: '0.0.0',
      description: 'A new thing.',
      license: 'Apache-2.0',
      type: 'module',
      engines: { node: '>=20.18.1' },
      exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './package.json': './package.json' },
      files: ['dist'],
      scripts: { build: 'tsc --build', lint: 'publint --strict' },
      dependencies: { '@berth/engine-protocol': 'workspace:*', undici: '7.30.2' },
    };
    const problems = manifestProblems(old, 'packages/new-thing', metadata).join('\n');
    for (const field of ['keywords', 'repository', 'main', 'types', 'exports', 'files', 'scripts', 'dependencies']) expect(problems).toContain(`"${field}"`);

    const { canonicalManifest } = await import('../../lib/manifest.mjs');
    const fixed = canonicalManifest({ ...old, keywords: ['docker'] }, 'packages/new-thing', metadata);
    expect(manifestProblems(fixed, 'packages/new-thing', metadata)).toEqual([]);
    expect(fixed.exports['.']).toEqual({
      'module-sync': './dist/index.js',
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/cjs/index.d.ts', default: './dist/cjs/index.js' },
    });
    expect(fixed.dependencies).toEqual({ '@berth/engine-protocol': 'workspace:^', undici: '7.30.2' });
  });
});
