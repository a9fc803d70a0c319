// The dashboard end to end, in a real browser: Debian's chromium driven by playwright-core
// (nothing is downloaded), against the harness engine and registry. On failure a screenshot is
// saved in test-artifacts/ (gitignored) and its path printed.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDocker, type Docker } from '@berth/docker';
import { findTestEngine, startSlowProxy, uniqueName, type SlowProxy } from '@berth/test-engine';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startDashboard, type Dashboard } from '../../../dist/server/dashboard-server.js';

const engine = findTestEngine();
const chromiumPath = process.env['BERTH_CHROMIUM'] ?? '/usr/bin/chromium';
const artifacts = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));

describe.runIf(engine)('the dashboard in Chromium', () => {
  const harness = engine!;
  let docker: Docker;
  let dashboard: Dashboard;
  let browser: BrowserContext;
  let page: Page;
  let workspace: string;
  let proxy: SlowProxy;
  /** An image only in the registry: the seed plus a 3 MB layer of random bytes. */
  let remote: string;
  const created: string[] = [];
  const browserErrors: string[] = [];

  beforeAll(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'ex-dashboard-'));
    docker = await createDocker({ host: harness.dockerHost, credentials: false });
    const source = join(workspace, 'source');
    await mkdir(source);
    await writeFile(join(source, 'Dockerfile'), `FROM ${harness.seedImage}\nRUN head -c 3000000 /dev/urandom > /blob\n`);
    remote = uniqueName('dashboard-pull');
    const pushed = `${harness.registry}/${remote}:1`;
    await docker.images.build({ path: source, tag: pushed, networkMode: 'none', version: '1' });
    await docker.images.push(`${harness.registry}/${remote}`, { tag: '1' });
    await docker.images.remove(pushed);
    // About two seconds for the layer: long enough to see the bars move.
    proxy = await startSlowProxy(harness.registry, 1_500_000);

    dashboard = await startDashboard({ docker, port: 0 });
    browser = await chromium.launchPersistentContext(join(workspace, 'chromium-profile'), {
      executablePath: chromiumPath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1280, height: 1000 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (error) => browserErrors.push(error.message));
  }, 120_000);

  afterEach(() => {
    expect(browserErrors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await proxy?.close();
    for (const name of created) await docker?.images.remove(name, { force: true }).catch(() => undefined);
    await docker?.close();
    await rm(workspace, { recursive: true, force: true });
  });

  /** Saves a screenshot when the running test fails. */
  function screenshotOnFailure(name: string): void {
    onTestFailed(async () => {
      await mkdir(artifacts, { recursive: true });
      const path = join(artifacts, `${name}.png`);
      await page.screenshot({ path, fullPage: true }).catch(() => undefined);
      console.error(`[dashboard e2e] screenshot of the failure: ${path}`);
    });
  }

  it('loads: engine info and the images table', async () => {
    screenshotOnFailure('load');
    await page.goto(dashboard.url);
    await page.locator('#engine[data-state="connected"]').waitFor();
    expect(await page.locator('#engine').textContent()).toMatch(/^Engine \d+\.\d+.* \(API 1\.\d+, linux\/amd64, (buildkit|classic)\) at unix:\/\//);
    const seedRow = page.locator(`#images tbody tr[data-tags~="${harness.seedImage}"]`);
    await seedRow.waitFor();
    expect(await seedRow.locator('td').nth(2).textContent()).toMatch(/MB$/);

    await seedRow.getByRole('button', { name: 'Details' }).click();
    await page.locator('#detail [data-testid="layers"] tbody tr').first().waitFor();
    expect(await page.locator('#detail dl').textContent()).toContain(harness.seedImage);
    expect(await page.locator('#detail [data-testid="layers"] tbody tr').count()).toBe(1);
    expect(await page.locator('#detail [data-testid="layers"] tbody td').nth(1).textContent()).toMatch(/MB$/);
    expect(await page.locator('#detail [data-testid="history"] tbody tr').count()).toBeGreaterThan(0);
  });

  it('pulls from the registry with live per-layer progress, to done', async () => {
    screenshotOnFailure('pull');
    const reference = `${proxy.address}/${remote}:1`;
    created.push(reference);
    await page.fill('#pull-reference', reference);
    await page.click('#pull-form button[type="submit"]');
    // While the layer downloads: its bar between empty and full.
    const downloading = page.locator('#pull-progress .layer[data-state="downloading"] progress');
    await downloading.waitFor({ timeout: 30_000 });
    const [value, max] = await downloading.evaluate((bar: HTMLProgressElement) => [bar.value, bar.max]);
    expect(value).toBeGreaterThan(0);
    expect(value).toBeLessThanOrEqual(max);
    expect(max).toBeGreaterThan(2_900_000);

    await page.locator('#pull-progress[data-state="done"]').waitFor({ timeout: 60_000 });
    const states = await page.locator('#pull-progress .layer').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset['state']));
    expect(states).toEqual(['already-exists', 'pull-complete']);
    expect(await page.locator('#pull-progress [data-testid="overall"]').evaluate((bar: HTMLProgressElement) => bar.value)).toBe(1);
    expect(await page.locator('#pull-progress [data-testid="job-result"]').textContent()).toContain(reference);
    await page.locator(`#images tbody tr[data-tags~="${reference}"]`).waitFor();
  });

  it('shows a failed pull in the page', async () => {
    screenshotOnFailure('pull-error');
    await page.fill('#pull-reference', `${harness.registry}/berth-it/no-such-image:1`);
    await page.click('#pull-form button[type="submit"]');
    await page.locator('#pull-progress[data-state="failed"]').waitFor();
    expect(await page.locator('#pull-progress .job-error').textContent()).toMatch(/no-such-image.*(not found|unknown)/);
    expect(await page.locator('#images tbody tr').count()).toBeGreaterThan(0);

    // An action the engine refuses: its message shows at the top of the page.
    await page.locator(`#images tbody tr[data-tags~="${harness.seedImage}"]`).getByRole('button', { name: 'Tag…' }).click();
    await page.fill('#tag-input', 'Not A Valid:Name!');
    await page.click('#tag-ok');
    await page.locator('#errors .error').first().waitFor();
    expect(await page.locator('#errors .error span').first().textContent()).toMatch(/reference|invalid/i);
    await page.locator('#errors .error button').first().click();
    expect(await page.locator('#errors .error').count()).toBe(0);
  });

  it('builds an uploaded folder with the live step view, tags the image, then removes it after confirmation', async () => {
    screenshotOnFailure('build');
    const folder = join(workspace, 'context');
    await mkdir(join(folder, 'nested'), { recursive: true });
    await writeFile(join(folder, 'Dockerfile'), `FROM ${harness.seedImage}\nCOPY nested/hello.txt /hello.txt\nRUN cat /hello.txt && echo built-in-browser\n`);
    await writeFile(join(folder, 'nested', 'hello.txt'), 'hello from a folder\n');
    const tag = `${uniqueName('dashboard-build')}:1`;
    created.push(tag);
    await page.setInputFiles('#build-folder', folder);
    await page.fill('#build-tag', tag);
    await page.selectOption('#build-network', 'none');
    await page.check('#build-no-cache');
    await page.click('#build-form button[type="submit"]');
    await page.locator('#build-progress[data-state="done"]').waitFor({ timeout: 60_000 });
    const steps = await page.locator('#build-progress .steps li').evaluateAll((items) => items.map((item) => [item.querySelector('.step-name')?.textContent, (item as HTMLElement).dataset['state']]));
    const names = steps.map(([name]) => name?.replace(/^#\d+ /, ''));
    expect(new Set(names).size).toBe(names.length);
    expect(steps).toContainEqual([expect.stringMatching(/RUN cat \/hello\.txt && echo built-in-browser$/), 'done']);
    expect(await page.locator('#build-progress [data-testid="job-result"]').textContent()).toContain(tag);
    const row = page.locator(`#images tbody tr[data-tags~="${tag}"]`);
    await row.waitFor();

    // Tag it through the dialog.
    const copy = `${tag.slice(0, tag.lastIndexOf(':'))}:copy`;
    created.push(copy);
    await row.getByRole('button', { name: 'Tag…' }).click();
    await page.fill('#tag-input', copy);
    await page.click('#tag-ok');
    await page.locator(`#images tbody tr[data-tags~="${copy}"]`).waitFor();
    expect((await docker.images.get(copy)).id).toBe((await docker.images.get(tag)).id);

    // Remove: nothing happens on Cancel; Remove removes every tag.
    const both = page.locator(`#images tbody tr[data-tags~="${tag}"]`);
    await both.getByRole('button', { name: 'Remove…' }).click();
    await page.locator('#confirm[open]').waitFor();
    await page.click('#confirm button[value="cancel"]');
    expect(await both.count()).toBe(1);
    await both.getByRole('button', { name: 'Remove…' }).click();
    expect(await page.locator('#confirm-text').textContent()).toContain('and all its tags');
    await page.click('#confirm-ok');
    await both.waitFor({ state: 'detached' });
    await expect(docker.images.get(tag)).rejects.toThrow(/No such image/);
  });

  it('builds an uploaded tar with the classic builder, and prunes after confirmation', async () => {
    screenshotOnFailure('build-tar');
    // The same build twice under one tag leaves the first image dangling.
    const tag = `${uniqueName('dashboard-tar')}:1`;
    created.push(tag);
    let firstImage = '';
    for (const round of ['1', '2']) {
      const archive = join(workspace, `context-${round}.tar`);
      const { execFileSync } = await import('node:child_process');
      const folder = join(workspace, `tar-${round}`);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'Dockerfile'), `FROM ${harness.seedImage}\nLABEL round=${round}\nRUN echo round ${round}\n`);
      execFileSync('tar', ['-C', folder, '-cf', archive, '.']);
      await page.setInputFiles('#build-archive', archive);
      await page.fill('#build-tag', tag);
      await page.selectOption('#build-builder', 'classic');
      await page.selectOption('#build-network', 'none');
      await page.click('#build-form button[type="submit"]');
      await page.locator('#build-progress[data-state="done"]').waitFor({ timeout: 60_000 });
      expect(await page.locator('#build-progress .steps li .step-name').allTextContents()).toEqual(['#1 [1/3] FROM ' + harness.seedImage, '#2 [2/3] LABEL round=' + round, `#3 [3/3] RUN echo round ${round}`]);
      firstImage ||= (await page.locator('#build-progress [data-testid="job-result"]').textContent())?.split(' ')[1] ?? '';
    }
    const dangling = page.locator(`#images tbody tr[data-id^="sha256:${firstImage}"]`);
    await dangling.locator('.badge.dangling').waitFor();
    await page.click('#prune');
    expect(await page.locator('#confirm-text').textContent()).toBe('Remove every dangling image?');
    await page.click('#confirm-ok');
    await page.locator('#prune-result:has-text("Pruned")').waitFor();
    await dangling.waitFor({ state: 'detached' });
    await expect(docker.images.get(`sha256:${firstImage}`)).rejects.toThrow(/No such image/);
  });
});
