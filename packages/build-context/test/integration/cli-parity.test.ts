// packDirectory against the docker CLI: for each context below, `docker build` (classic
// builder) sends its context through a capturing proxy to the harness engine; the archive
// packDirectory makes for the same directory must hold the same entries, in the same order,
// with the same headers and contents. The engine then builds from packDirectory's archive too.
import { link, lutimes, mkdir, mkdtemp, readdir, rm, symlink, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTestEngine, uniqueName } from '@berth/test-engine';
import { packDirectory } from '../../src/index.js';
import { startCaptureProxy, type CaptureProxy } from '../support/capture-proxy.js';
import { cliBuild, findDockerCli, removeImages } from '../support/docker-cli.js';
import { engineBuild } from '../support/engine-build.js';
import { listTar, type ListedEntry } from '../support/tar-listing.js';

interface ParityCase {
  readonly name: string;
  /** Text of `<context>/.dockerignore`, when the context has one. */
  readonly dockerignore?: string;
  /** Files of the context (a `Dockerfile` is added unless `dockerfile` says otherwise). */
  readonly files?: Readonly<Record<string, string>>;
  readonly directories?: readonly string[];
  readonly symlinks?: Readonly<Record<string, string>>;
  readonly hardLinks?: Readonly<Record<string, string>>;
  readonly modes?: Readonly<Record<string, number>>;
  /** Modification times (seconds, may be negative) set after the common fixed time. */
  readonly mtimes?: Readonly<Record<string, number>>;
  /** `-f`: a path in the context, or `outside` for a Dockerfile next to (not in) the context. */
  readonly dockerfile?: string;
  /** Name of the Dockerfile to create when no `-f` is given (default `Dockerfile`). */
  readonly defaultDockerfileName?: string;
}

const dockerfileText = 'FROM scratch\nCOPY . /\n';

const cases: readonly ParityCase[] = [
  { name: '*.md only matches at the top level', dockerignore: '*.md\n', files: { 'a.md': '', 'README.md': '', 'docs/guide.md': '', 'b.txt': '' } },
  { name: '!README.md re-includes one file', dockerignore: '*.md\n!README.md\n', files: { 'a.md': '', 'README.md': '', 'docs/README.md': '' } },
  { name: '**/*.log at any depth', dockerignore: '**/*.log\n', files: { 'a.log': '', 'x/b.log': '', 'x/y/c.log': '', 'x/y/c.log.txt': '' } },
  { name: 'dir/ with a trailing slash', dockerignore: 'build/\n', files: { 'build/out.js': '', 'buildx/a': '', 'src/build': '' } },
  { name: '/secret with a leading slash', dockerignore: '/secret\n', files: { secret: '', 'sub/secret': '' } },
  { name: 'a/**/b matches any depth between', dockerignore: 'a/**/b\n', files: { 'a/b': '', 'a/x/b': '', 'a/x/y/b/c': '', 'a/bb': '', 'a/x/bb': '' } },
  { name: '** excludes all but the Dockerfile and .dockerignore', dockerignore: '**\n', files: { x: '', 'y/z': '' } },
  { name: '!**/keep after ** only reaches the top level', dockerignore: '**\n!**/keep\n', files: { keep: '', 'd/keep': '', 'd/e/keep': '', other: '' } },
  { name: '[a-c]* character class', dockerignore: '[a-c]*\n', files: { apple: '', banana: '', cherry: '', date: '', Apple: '' } },
  { name: '[^a]* negated class', dockerignore: '[^a]*\n', files: { apple: '', berry: '', avocado: '', cherry: '' } },
  { name: '[!a]* is a class holding "!"', dockerignore: '[!a]*\n', files: { apple: '', '!x': '', bob: '' } },
  { name: '[[:digit:]]* is a POSIX class', dockerignore: '[[:digit:]]*\n', files: { '1abc': '', '9': '', 'd]x': '', x1: '' } },
  { name: '\\* escapes a star', dockerignore: '\\*\n', files: { '*': '', 'x*': '', xy: '' } },
  { name: 'file\\d is a Go regexp escape', dockerignore: 'file\\d\n', files: { file1: '', filed: '', file12: '' } },
  { name: '?.txt is one character', dockerignore: '?.txt\n', files: { 'a.txt': '', 'ab.txt': '', '.txt': '', 'd/b.txt': '' } },
  {
    name: 're-inclusion inside an excluded directory',
    dockerignore: 'vendor\n!vendor/keep.txt\n!vendor/lib/**\n',
    files: { 'vendor/drop.txt': '', 'vendor/keep.txt': '', 'vendor/lib/a/b.js': '', 'vendor/libx/c': '' },
  },
  {
    name: 'nested exceptions',
    dockerignore: 'docs\n!docs/api\ndocs/api/internal\n',
    files: { 'docs/a.md': '', 'docs/api/x.md': '', 'docs/api/internal/y.md': '', 'docs/api/internal2/z': '' },
  },
  { name: 'later patterns win', dockerignore: '!a.txt\n*.txt\n!b.txt\n', files: { 'a.txt': '', 'b.txt': '', 'c.txt': '' } },
  { name: '.git', dockerignore: '.git\n', files: { '.git/config': '', '.git/objects/ab': '', '.gitignore': '', 'sub/.git/x': '' } },
  { name: 'comments, and a # that is a pattern', dockerignore: '# comment\n #hash\n', files: { '#hash': '', '# comment': '', x: '' } },
  {
    name: 'white space, CRLF and a byte order mark',
    dockerignore: '\ufeff  *.tmp  \r\n\tcache/\t\r\n\r\n',
    files: { 'a.tmp': '', 'cache/x': '', 'keep.txt': '' },
  },
  { name: '../outside and ./local', dockerignore: '../outside\n./local\n', files: { local: '', outside: '', 'sub/local': '' } },
  { name: 'logs/** keeps the directory entry', dockerignore: 'logs/**\n', files: { 'logs/a': '', 'logs/b/c': '', logsx: '' } },
  { name: '*/temp* one level down', dockerignore: '*/temp*\n', files: { 'a/temporary': '', 'a/b/temp': '', temp: '', 'a/tempest/x': '' } },
  { name: 'an ignored Dockerfile is still sent', dockerignore: 'Dockerfile\n*.md\n', files: { 'a.md': '', b: '' } },
  { name: 'an ignored .dockerignore is still sent', dockerignore: '.dockerignore\nx\n', files: { x: '', y: '' } },
  {
    name: 'a Dockerfile inside an excluded directory',
    dockerignore: 'docker\n',
    dockerfile: 'docker/app.Dockerfile',
    files: { 'docker/app.Dockerfile': dockerfileText, 'docker/other': '', src: '' },
  },
  { name: 'a Dockerfile outside the context', dockerfile: 'outside', files: { a: '', 'b/c': '' } },
  { name: 'a Dockerfile outside the context, with a .dockerignore', dockerfile: 'outside', dockerignore: '*.log\n', files: { 'a.log': '', b: '' } },
  { name: 'lowercase dockerfile fallback', defaultDockerfileName: 'dockerfile', files: { a: '' } },
  {
    name: 'a Dockerfile that is a symbolic link',
    files: { 'docker/real.Dockerfile': dockerfileText, a: '' },
    symlinks: { Dockerfile: 'docker/real.Dockerfile' },
    defaultDockerfileName: '',
  },
  {
    name: 'symbolic links are archived, never followed',
    dockerignore: 'hidden-link\nreal/hidden\n',
    files: { 'real/file': 'content', 'real/hidden': '' },
    symlinks: { 'to-file': 'real/file', 'to-dir': 'real', 'to-root': '/etc', dangling: 'missing', 'hidden-link': 'real/file' },
  },
  {
    name: 'modes, empty directories and hard links',
    files: { 'bin/tool': '#!/bin/sh\n', secret: 's', locked: 'l', original: 'same inode' },
    directories: ['empty', 'bin/empty'],
    hardLinks: { 'copy-of-original': 'original' },
    modes: { 'bin/tool': 0o4755, secret: 0o600, locked: 0o000, empty: 0o700 },
  },
  // Regression (issue 9, bug 9): files dated before 1970 were sent with mtime 0; the CLI sends
  // their real time (floored to whole seconds) in a PAX record.
  {
    name: 'files dated before 1970',
    files: { 'old.txt': 'old', 'edge.txt': '', 'new.txt': '' },
    mtimes: { 'old.txt': -302_443_199.5, 'edge.txt': -0.5 },
  },
  {
    name: 'long and non-ASCII names',
    dockerignore: 'ü*\n',
    files: { [`${'l'.repeat(110)}/${'n'.repeat(120)}`]: 'long', 'über.txt': '', 'ñ/文件': '' },
  },
];

const engine = findTestEngine();
const fixedTime = 1_600_000_000.75;

interface CaseResult {
  readonly cli?: { readonly entries: ListedEntry[]; readonly dockerfile: string | null; readonly image: string };
  readonly ours?: { readonly entries: ListedEntry[]; readonly dockerfile: string };
  readonly ourImage?: string;
  readonly error?: unknown;
}

describe.runIf(engine)('packDirectory matches the docker CLI (classic builder)', () => {
  let cli = '';
  const tags: string[] = [];
  const results = new Map<string, CaseResult>();
  let base = '';
  let proxy: CaptureProxy | undefined;

  beforeAll(async () => {
    if (engine === undefined) return;
    cli = findDockerCli();
    base = await mkdtemp(join(tmpdir(), 'berth-build-context-parity-'));
    await mkdir(join(base, 'docker-config'));
    proxy = await startCaptureProxy(engine.socketPath, base);
    const queue = cases.map((parityCase, index) => ({ parityCase, index }));
    const worker = async (): Promise<void> => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
        results.set(item.parityCase.name, await runCase(item.parityCase, join(base, `case-${item.index}`)));
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    if (engine !== undefined && cli) await removeImages(cli, engine.dockerHost, tags);
    if (base) await rm(base, { recursive: true, force: true });
  });

  async function runCase(parityCase: ParityCase, directory: string): Promise<CaseResult> {
    try {
      const context = join(directory, 'context');
      const dockerfile = await materialize(parityCase, directory, context);
      const cliTag = uniqueName('build-context-cli');
      const ourTag = uniqueName('build-context-ours');
      tags.push(cliTag, ourTag);
      const cliImage = await cliBuild(cli, {
        dockerHost: (proxy as CaptureProxy).dockerHost,
        context,
        tag: cliTag,
        cwd: join(base, 'docker-config'),
        ...(dockerfile === undefined ? {} : { dockerfile }),
      });
      const sent = (proxy as CaptureProxy).takeBuild(cliTag);
      const cliEntries = await listTar(withTarTrailer(sent.body));
      const ours = await packDirectory(context, dockerfile === undefined ? {} : { dockerfile });
      const ourEntries = await listTar(ours.stream);
      const again = await packDirectory(context, dockerfile === undefined ? {} : { dockerfile });
      const ourImage = await engineBuild((engine as NonNullable<typeof engine>).socketPath, { body: again.stream, dockerfile: again.dockerfile, tag: ourTag });
      return {
        cli: { entries: cliEntries, dockerfile: sent.query.get('dockerfile'), image: cliImage },
        ours: { entries: ourEntries, dockerfile: ours.dockerfile },
        ourImage,
      };
    } catch (error) {
      return { error };
    }
  }

  it('covers at least 25 contexts', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases.map((parityCase) => [parityCase.name]))('%s', (name) => {
    const result = results.get(name);
    if (result?.error !== undefined) throw result.error;
    const cliSide = result?.cli;
    const ourSide = result?.ours;
    if (cliSide === undefined || ourSide === undefined) throw new Error(`case ${name} did not run`);
    expect(normalizeName(ourSide.dockerfile)).toBe(normalizeName(cliSide.dockerfile ?? 'Dockerfile'));
    expect(comparable(ourSide.entries)).toEqual(comparable(cliSide.entries));
    expect(result?.ourImage).toMatch(/^sha256:[0-9a-f]{64}$/u);
    // The classic builder keys its COPY cache on a tarsum of the uploaded headers, which takes
    // the whole mode field: docker CLI 20.10 writes file-type bits there (Go 1.8
    // compatibility), CLI 23+ and packDirectory do not. When the CLI wrote none, the engine
    // must reuse the CLI's layers for packDirectory's archive: the very same image. A
    // generated Dockerfile name differs between the two archives, so those cases are left out.
    const plainModes = cliSide.entries.every((entry) => (entry.mode & ~0o7777) === 0);
    if (plainModes && !generatedName.test(ourSide.dockerfile)) expect(result?.ourImage).toBe(cliSide.image);
  });
});

// Writes the case's files; returns the `-f` value (absolute), if any.
async function materialize(parityCase: ParityCase, directory: string, context: string): Promise<string | undefined> {
  await mkdir(context, { recursive: true });
  const files: Record<string, string> = { ...parityCase.files };
  let dockerfile: string | undefined;
  if (parityCase.dockerfile === 'outside') {
    dockerfile = join(directory, 'outside', 'Dockerfile');
    await mkdir(dirname(dockerfile), { recursive: true });
    await writeFile(dockerfile, dockerfileText);
  } else if (parityCase.dockerfile !== undefined) {
    dockerfile = join(context, parityCase.dockerfile);
  } else if (parityCase.defaultDockerfileName !== '') {
    files[parityCase.defaultDockerfileName ?? 'Dockerfile'] = dockerfileText;
  }
  if (parityCase.dockerignore !== undefined) files['.dockerignore'] = parityCase.dockerignore;
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(context, path)), { recursive: true });
    await writeFile(join(context, path), content);
  }
  for (const path of parityCase.directories ?? []) await mkdir(join(context, path), { recursive: true });
  for (const [path, target] of Object.entries(parityCase.symlinks ?? {})) await symlink(target, join(context, path));
  for (const [path, target] of Object.entries(parityCase.hardLinks ?? {})) await link(join(context, target), join(context, path));
  await setTimes(context);
  // As Dates: Node takes a negative number of seconds for "now".
  for (const [path, mtime] of Object.entries(parityCase.mtimes ?? {})) await lutimes(join(context, path), new Date(mtime * 1000), new Date(mtime * 1000));
  for (const [path, mode] of Object.entries(parityCase.modes ?? {})) await chmod(join(context, path), mode);
  return dockerfile;
}

// Every path gets the same mtime (with a fraction, to check truncation); only what the CLI
// generates at build time then carries the current time.
async function setTimes(path: string): Promise<void> {
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) await setTimes(child);
    await lutimes(child, fixedTime, fixedTime);
  }
}

// The CLI's archive for a Dockerfile outside the context ends without the last entry's padding
// and the end-of-archive blocks (archive.ReplaceFileTarWrapper closes its pipe before its tar
// writer); the engine reads it anyway. Restore the trailer so it can be listed.
function withTarTrailer(archive: Buffer): Buffer {
  const complete = archive.length % 512 === 0 && archive.length >= 1024 && archive.subarray(-1024).every((byte) => byte === 0);
  if (complete) return archive;
  return Buffer.concat([archive, Buffer.alloc((512 - (archive.length % 512)) % 512), Buffer.alloc(1024)]);
}

const generatedName = /\.dockerfile\.[0-9a-f]{20}/u;

function normalizeName(name: string): string {
  return name.replace(new RegExp(generatedName.source, 'gu'), '<generated Dockerfile>');
}

// What is compared: everything the engine reads from a header and the content, with the
// generated Dockerfile name abstracted. Not compared: user/group names and the file-type bits
// of the mode field, which docker CLI 20.10 fills in (user-name lookups, Go 1.8 compatibility)
// and newer CLIs leave empty, as packDirectory does (see the unit tests). Entries the CLI
// generates at build time carry the current time, and their order is a Go map's: they are
// compared without mtime, after the walked entries, sorted.
function comparable(entries: readonly ListedEntry[]): unknown {
  const recent = Date.now() / 1000 - 600;
  const describe = (entry: ListedEntry): Record<string, unknown> => ({
    name: normalizeName(entry.name),
    type: entry.type,
    mode: (entry.mode & 0o7777).toString(8),
    uid: entry.uid,
    gid: entry.gid,
    size: entry.size,
    linkname: entry.linkname,
    content: entry.content === undefined ? entry.sha256 : normalizeName(entry.content.toString('utf8')),
    ...(entry.mtime > recent ? {} : { mtime: entry.mtime }),
  });
  const walked = entries.filter((entry) => entry.mtime <= recent).map(describe);
  const generated = entries
    .filter((entry) => entry.mtime > recent)
    .map(describe)
    .sort((left, right) => String(left['name']).localeCompare(String(right['name'])));
  return { walked, generated };
}
