// Releases do what they say: `changeset version`, run for real on a scratch copy of the
// workspace's manifests and changeset config with a sample changeset, never bumps anything to a
// major because of a minor elsewhere, and never versions a private package (examples, tools).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../lib/workspace.mjs';

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const scratchFolders: string[] = [];
afterEach(() => {
  for (const folder of scratchFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Every workspace package folder, from pnpm-workspace.yaml's `- "dir/*"` and `- "dir"` lines. */
function workspaceFolders(): string[] {
  const patterns = [...readFileSync(path.join(REPOSITORY_ROOT, 'pnpm-workspace.yaml'), 'utf8').matchAll(/^\s*-\s*"?([^"\n]+)"?\s*$/gm)].map((match) => match[1]!);
  const folders: string[] = [];
  for (const pattern of patterns) {
    if (pattern.endsWith('/*')) {
      const parent = pattern.slice(0, -2);
      for (const entry of readdirSync(path.join(REPOSITORY_ROOT, parent))) {
        if (existsSync(path.join(REPOSITORY_ROOT, parent, entry, 'package.json'))) folders.push(`${parent}/${entry}`);
      }
    } else if (existsSync(path.join(REPOSITORY_ROOT, pattern, 'package.json'))) {
      folders.push(pattern);
    }
  }
  return folders;
}

/** The workspace's manifests and changeset config in a fresh folder, with one changeset. */
function scratchWorkspace(changeset: Record<string, 'major' | 'minor' | 'patch'>): { root: string; folders: string[] } {
  const root = mkdtempSync(path.join(tmpdir(), 'berth-changeset-'));
  scratchFolders.push(root);
  const folders = workspaceFolders();
  for (const file of ['package.json', 'pnpm-workspace.yaml', '.changeset/config.json']) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    cpSync(path.join(REPOSITORY_ROOT, file), path.join(root, file));
  }
  for (const folder of folders) {
    mkdirSync(path.join(root, folder), { recursive: true });
    cpSync(path.join(REPOSITORY_ROOT, folder, 'package.json'), path.join(root, folder, 'package.json'));
  }
  // The changelog generator is resolved from the project: lend it the repository's.
  symlinkSync(path.join(REPOSITORY_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const frontMatter = Object.entries(changeset).map(([name, bump]) => `"${name}": ${bump}`).join('\n');
  writeFileSync(path.join(root, '.changeset/sample-change.md'), `---\n${frontMatter}\n---\n\nA sample change.\n`);
  return { root, folders };
}

function manifests(root: string, folders: string[]): Map<string, Manifest & { folder: string }> {
  const byName = new Map<string, Manifest & { folder: string }>();
  for (const folder of folders) {
    const manifest = JSON.parse(readFileSync(path.join(root, folder, 'package.json'), 'utf8')) as Manifest;
    byName.set(manifest.name, { ...manifest, folder });
  }
  return byName;
}

function changesetVersion(root: string): void {
  execFileSync(path.join(REPOSITORY_ROOT, 'node_modules/.bin/changeset'), ['version'], {
    cwd: root,
    encoding: 'utf8',
    stdio: 'pipe',
    env: { ...process.env, CI: 'true' },
  });
}

function major(version: string): number {
  return Number(version.split('.')[0]);
}

describe('changeset version on a scratch copy of the workspace', () => {
  it('a minor in an optional transport peer bumps that package only: @berth/docker stays where it is', () => {
    const { root, folders } = scratchWorkspace({ '@berth/transport-tcp': 'minor' });
    const before = manifests(root, folders);
    changesetVersion(root);
    const after = manifests(root, folders);

    const tcp = before.get('@berth/transport-tcp')!;
    expect(after.get('@berth/transport-tcp')!.version).toBe(bumpMinor(tcp.version));
    for (const [name, manifest] of after) {
      if (name === '@berth/transport-tcp') continue;
      expect(manifest.version, name).toBe(before.get(name)!.version);
    }
    expect(after.get('@berth/docker')!.peerDependencies).toEqual(before.get('@berth/docker')!.peerDependencies);
    expect(existsSync(path.join(root, 'packages/docker/CHANGELOG.md'))).toBe(false);
    expect(readFileSync(path.join(root, 'packages/transport-tcp/CHANGELOG.md'), 'utf8')).toContain('A sample change.');
  });

  it('a minor in @berth/engine-protocol gives its dependents a patch, never a major; private packages are not versioned', () => {
    const { root, folders } = scratchWorkspace({ '@berth/engine-protocol': 'minor' });
    const before = manifests(root, folders);
    changesetVersion(root);
    const after = manifests(root, folders);

    const protocol = before.get('@berth/engine-protocol')!;
    expect(after.get('@berth/engine-protocol')!.version).toBe(bumpMinor(protocol.version));
    const dependents = [...before.values()].filter(
      (manifest) => manifest.private !== true && manifest.dependencies?.['@berth/engine-protocol'] !== undefined,
    );
    expect(dependents.map((manifest) => manifest.name)).toContain('@berth/docker');
    for (const dependent of dependents) {
      expect(after.get(dependent.name)!.version, dependent.name).toBe(bumpPatch(dependent.version));
      // The range stays workspace:^, which pnpm publishes as ^<new version>.
      expect(after.get(dependent.name)!.dependencies!['@berth/engine-protocol']).toBe('workspace:^');
    }
    for (const [name, manifest] of after) {
      expect(major(manifest.version), `${name} must not get a major`).toBe(major(before.get(name)!.version));
      if (manifest.private === true) {
        expect(manifest.version, `${name} is private`).toBe(before.get(name)!.version);
        expect(existsSync(path.join(root, manifest.folder, 'CHANGELOG.md')), `${name} is private: no CHANGELOG`).toBe(false);
      }
    }
  });

  it('the check can fail: with the old workspace:* peers, the same minor makes @berth/docker a major', () => {
    const { root, folders } = scratchWorkspace({ '@berth/transport-tcp': 'minor' });
    const dockerManifest = path.join(root, 'packages/docker/package.json');
    const docker = JSON.parse(readFileSync(dockerManifest, 'utf8')) as Manifest;
    for (const name of Object.keys(docker.peerDependencies ?? {})) docker.peerDependencies![name] = 'workspace:*';
    writeFileSync(dockerManifest, JSON.stringify(docker, null, 2));
    changesetVersion(root);
    expect(major(manifests(root, folders).get('@berth/docker')!.version)).toBe(major(docker.version) + 1);
  });
});

function bumpMinor(version: string): string {
  const [majorPart, minorPart] = version.split('.').map(Number);
  return `${majorPart}.${minorPart! + 1}.0`;
}

function bumpPatch(version: string): string {
  const [majorPart, minorPart, patchPart] = version.split('.').map(Number);
  return `${majorPart}.${minorPart}.${patchPart! + 1}`;
}
