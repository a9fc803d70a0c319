import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENGINE_API_SPEC_VERSION, operations } from '../../../src/generated/index.js';

const PACKAGE_DIR = fileURLToPath(new URL('../../../', import.meta.url));
const GENERATED_DIR = path.join(PACKAGE_DIR, 'src/generated');

/**
 * Type-level checks, compiled by tsc below. They live in a temp file (not in
 * src/) and only pull in src/generated, so other work-in-progress files in
 * src/ cannot make this test fail.
 */
const ASSERTIONS = `
import type {
  AuthConfig, BuildCache, BuildInfo, ContainerCreateResponse, DistributionInspect, ErrorDetail,
  ErrorResponse, ImageCreateHeaderParameters, ImageCreateQueryParameters, ImageDeleteResponseItem,
  ImageHistoryResponseItem, ImageID, ImageInspect, ImageInspectPathParameters, ImageListQueryParameters,
  ImagePushHeaderParameters, ImageSummary, OCIDescriptor, OCIPlatform, OperationId, OperationTypes,
  ProgressDetail, PushImageInfo, SystemVersion,
} from './generated/index.js';
import { operations } from './generated/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assert<T extends true>(): void {}

assert<Equal<OperationTypes['ImageList']['response'], ImageSummary[]>>();
assert<Equal<OperationTypes['ImageList']['path'], undefined>>();
assert<Equal<OperationTypes['ImageInspect']['response'], ImageInspect>>();
assert<Equal<OperationTypes['ImageInspect']['path'], ImageInspectPathParameters>>();
assert<Equal<OperationTypes['ImageHistory']['response'], ImageHistoryResponseItem[]>>();
assert<Equal<OperationTypes['ImageDelete']['response'], ImageDeleteResponseItem[]>>();
assert<Equal<OperationTypes['ImageCreate']['headers'], ImageCreateHeaderParameters>>();
// The spec does not mark this body as required.
assert<Equal<OperationTypes['SystemAuth']['body'], AuthConfig | undefined>>();
assert<Equal<OperationTypes['SystemVersion']['response'], SystemVersion>>();
assert<Equal<OperationTypes['ImageTag']['response'], void>>();
assert<Equal<OperationTypes['DistributionInspect']['response'], DistributionInspect>>();
assert<Equal<OperationTypes['ContainerCreate']['response'], ContainerCreateResponse>>();
assert<Equal<keyof OperationTypes, OperationId>>();
assert<Equal<(typeof operations)['ImageList'], { readonly method: 'GET'; readonly path: '/images/json' }>>();

// Wire names are kept as-is, including ones that need quoting.
export const list: ImageListQueryParameters = { all: true, 'shared-size': true, digests: false };
export const pull: ImageCreateQueryParameters = { fromImage: 'alpine', tag: 'latest' };
export const push: ImagePushHeaderParameters = { 'X-Registry-Auth': 'e30=' };
// @ts-expect-error unknown query parameter
export const typo: ImageListQueryParameters = { al: true };

// Key image-related definitions exist with their expected fields.
export const platform: OCIPlatform = { architecture: 'amd64', os: 'linux', 'os.version': '10.0' };
export const descriptor: Pick<OCIDescriptor, 'mediaType' | 'digest' | 'size'> = { mediaType: 'x', digest: 'sha256:0', size: 1 };
export const summaryId: ImageSummary['Id'] = 'sha256:0';
export const nullableDescriptor: ImageSummary['Descriptor'] = null;
export const error: ErrorResponse = { message: 'no such image' };
export const progress: PushImageInfo = { status: 'Pushing', progressDetail: { current: 1, total: 2 } satisfies ProgressDetail };
export const build: BuildInfo = { aux: { ID: 'sha256:0' } satisfies ImageID, errorDetail: { message: 'x' } satisfies ErrorDetail };
export const cacheId: BuildCache['ID'] = 'abc';
`;

describe('generated types', () => {
  it('exports the operations table keyed by operationId', () => {
    expect(ENGINE_API_SPEC_VERSION).toMatch(/^1\.\d+$/);
    expect(operations.ImageList).toEqual({ method: 'GET', path: '/images/json' });
    expect(operations.ImageCreate).toEqual({ method: 'POST', path: '/images/create' });
    expect(operations.ImagePush).toEqual({ method: 'POST', path: '/images/{name}/push' });
    expect(operations.ImageGetAll).toEqual({ method: 'GET', path: '/images/get' });
    expect(operations.ImageDelete).toEqual({ method: 'DELETE', path: '/images/{name}' });
    expect(operations.BuildPrune).toEqual({ method: 'POST', path: '/build/prune' });
    expect(operations.DistributionInspect).toEqual({ method: 'GET', path: '/distribution/{name}/json' });
    expect(operations.SystemPing).toEqual({ method: 'GET', path: '/_ping' });
    for (const [id, { method, path: route }] of Object.entries(operations)) {
      expect(method, id).toMatch(/^(GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS)$/);
      expect(route, id).toMatch(/^\//);
    }
  });

  it('carries the generated-file header', () => {
    for (const file of ['definitions.ts', 'operations.ts', 'index.ts']) {
      const firstLine = readFileSync(path.join(GENERATED_DIR, file), 'utf8').split('\n')[0];
      expect(firstLine, file).toBe(
        `// GENERATED by scripts/generate-types.mjs from the Engine API spec v${ENGINE_API_SPEC_VERSION} — do not edit; rerun \`pnpm --filter @berth/engine-protocol generate\``,
      );
    }
  });

  it('compiles under the strict config with the expected key types', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'berth-generated-types-'));
    try {
      // Copy rather than import across directories: the copy is ESM via the
      // package.json below and resolves './generated/index.js' like src does.
      const generated = path.join(dir, 'generated');
      mkdirSync(generated);
      writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
      for (const file of ['definitions.ts', 'operations.ts', 'index.ts']) {
        writeFileSync(path.join(generated, file), readFileSync(path.join(GENERATED_DIR, file)));
      }
      writeFileSync(path.join(dir, 'assertions.ts'), ASSERTIONS);
      const tsconfig = {
        extends: path.join(PACKAGE_DIR, '../../tsconfig.base.json'),
        compilerOptions: { noEmit: true, composite: false, declaration: false, declarationMap: false, sourceMap: false, incremental: false, types: [] },
        files: ['assertions.ts'],
      };
      writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));

      const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
      const result = spawnSync(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json')], { encoding: 'utf8' });
      expect(result.stdout + result.stderr).toBe('');
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
