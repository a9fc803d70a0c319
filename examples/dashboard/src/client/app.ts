// The dashboard page: engine info, the images table, an image's detail, pull and build with live
// progress, tag, remove and prune with confirmation. Every failure is shown in the page.
import { api } from './api.js';
import { element, humanSize, timeAgo } from './format.js';
import { followJob } from './job-view.js';
import { folderFiles, tarOf } from './tar.js';
import type { EngineInfo, ImageDetail, ImageRow } from './types.js';

const byId = <Type extends HTMLElement>(id: string): Type => {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`The page has no #${id}.`);
  return found as Type;
};

// --- errors -----------------------------------------------------------------------------------

function showError(message: string): void {
  const item = element('div', { class: 'error' }, element('span', {}, message));
  const close = element('button', { type: 'button', class: 'secondary', 'aria-label': 'Dismiss' }, '×');
  close.addEventListener('click', () => item.remove());
  item.append(close);
  byId('errors').append(item);
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
window.addEventListener('error', (event) => showError(`Unexpected error: ${event.message}`));
window.addEventListener('unhandledrejection', (event) => showError(messageOf(event.reason)));

/** Runs an action of the page; its failure becomes a message, never a blank page. */
async function guarded(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    showError(messageOf(error));
  }
}

// --- dialogs ----------------------------------------------------------------------------------

function confirmAction(text: string, verb: string): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>('confirm');
  byId('confirm-text').textContent = text;
  byId('confirm-ok').textContent = verb;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true }));
}

function askForTag(image: ImageRow): Promise<string | undefined> {
  const dialog = byId<HTMLDialogElement>('tag-dialog');
  const input = byId<HTMLInputElement>('tag-input');
  byId('tag-source').textContent = image.tags[0] ?? image.shortId;
  input.value = '';
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok' && input.value.trim() !== '' ? input.value.trim() : undefined), { once: true }));
}

// --- engine and images ------------------------------------------------------------------------

async function loadInfo(): Promise<void> {
  const engine = byId('engine');
  try {
    const info = await api<EngineInfo>('/api/info');
    engine.textContent = `Engine ${info.version} (API ${info.apiVersion}, ${info.os}/${info.arch}, ${info.builder}) at ${info.endpoint}`;
    engine.dataset['state'] = 'connected';
    byId<HTMLSelectElement>('build-builder').value = info.builder;
  } catch (error) {
    engine.textContent = 'Engine unavailable';
    engine.dataset['state'] = 'unavailable';
    showError(messageOf(error));
  }
}

async function loadImages(): Promise<void> {
  const body = byId('images').querySelector('tbody') as HTMLTableSectionElement;
  const images = await api<ImageRow[]>('/api/images');
  body.replaceChildren(...images.map(imageRowElement));
  if (images.length === 0) body.append(element('tr', {}, element('td', { colspan: '5' }, 'No images.')));
}

function imageRowElement(image: ImageRow): HTMLTableRowElement {
  const tags = image.tags.length > 0 ? image.tags.map((tag) => element('div', {}, tag)) : [element('span', { class: 'badge dangling' }, 'dangling')];
  const details = element('button', { type: 'button', class: 'secondary' }, 'Details');
  const tag = element('button', { type: 'button', class: 'secondary' }, 'Tag…');
  const remove = element('button', { type: 'button', class: 'danger' }, 'Remove…');
  details.addEventListener('click', () => void guarded(() => showDetail(image.id)));
  tag.addEventListener('click', () => void guarded(() => tagImage(image)));
  remove.addEventListener('click', () => void guarded(() => removeImage(image)));
  return element(
    'tr',
    { 'data-id': image.id, 'data-tags': image.tags.join(' ') },
    element('td', {}, ...tags),
    element('td', {}, element('code', {}, image.shortId)),
    element('td', {}, humanSize(image.size)),
    element('td', { title: image.created }, timeAgo(image.created)),
    element('td', { class: 'actions' }, details, tag, remove),
  );
}

async function showDetail(id: string): Promise<void> {
  const detail = await api<ImageDetail>(`/api/images/${encodeURIComponent(id)}`);
  const section = byId('detail');
  const { inspect } = detail;
  const facts = element(
    'dl',
    {},
    element('dt', {}, 'ID'),
    element('dd', {}, element('code', {}, detail.row.id)),
    element('dt', {}, 'Tags'),
    element('dd', {}, detail.row.tags.join(', ') || '(none)'),
    element('dt', {}, 'Platform'),
    element('dd', {}, `${inspect.Os ?? '?'}/${inspect.Architecture ?? '?'}`),
    element('dt', {}, 'Size'),
    element('dd', {}, humanSize(detail.row.size)),
    element('dt', {}, 'Command'),
    element('dd', {}, element('code', {}, JSON.stringify(inspect.Config?.Cmd ?? []))),
    element('dt', {}, 'Labels'),
    element('dd', {}, Object.entries(inspect.Config?.Labels ?? {}).map(([key, value]) => `${key}=${value}`).join(', ') || '(none)'),
  );
  const layers = element('table', { 'data-testid': 'layers' }, element('thead', {}, element('tr', {}, element('th', {}, 'Layer'), element('th', {}, 'Size'), element('th', {}, 'Created by'))));
  const layerBody = element('tbody');
  for (const layer of detail.layers) {
    layerBody.append(element('tr', {}, element('td', {}, element('code', {}, layer.digest.slice(7, 19))), element('td', {}, layer.size === undefined ? '?' : humanSize(layer.size)), element('td', {}, layer.createdBy ?? '')));
  }
  layers.append(layerBody);
  const history = element('table', { 'data-testid': 'history' }, element('thead', {}, element('tr', {}, element('th', {}, 'Created'), element('th', {}, 'Created by'), element('th', {}, 'Size'))));
  const historyBody = element('tbody');
  for (const entry of detail.history) historyBody.append(element('tr', {}, element('td', {}, timeAgo(entry.created)), element('td', {}, element('code', {}, entry.createdBy)), element('td', {}, humanSize(entry.size))));
  history.append(historyBody);
  const close = element('button', { type: 'button', class: 'secondary' }, 'Close');
  close.addEventListener('click', () => (section.hidden = true));
  section.replaceChildren(
    element('h2', {}, `Image ${detail.row.tags[0] ?? detail.row.shortId}`),
    facts,
    element('h3', {}, `Layers (${detail.layers.length})`),
    layers,
    element('h3', {}, 'History'),
    history,
    element('details', {}, element('summary', {}, 'Inspect (JSON)'), element('pre', {}, JSON.stringify(inspect, null, 2))),
    close,
  );
  section.hidden = false;
  section.scrollIntoView({ block: 'nearest' });
}

async function tagImage(image: ImageRow): Promise<void> {
  const target = await askForTag(image);
  if (target === undefined) return;
  const separator = target.lastIndexOf(':');
  const hasTag = separator > target.lastIndexOf('/');
  await api(`/api/images/${encodeURIComponent(image.id)}/tag`, {
    method: 'POST',
    body: JSON.stringify(hasTag ? { repository: target.slice(0, separator), tag: target.slice(separator + 1) } : { repository: target }),
  });
  await loadImages();
}

async function removeImage(image: ImageRow): Promise<void> {
  const name = image.tags[0] ?? image.id;
  const several = image.tags.length > 1;
  if (!(await confirmAction(several ? `Remove ${image.shortId} and all its tags (${image.tags.join(', ')})?` : `Remove ${name}?`, 'Remove'))) return;
  await api(`/api/images/${encodeURIComponent(several ? image.id : name)}?force=${several ? '1' : '0'}`, { method: 'DELETE' });
  byId('detail').hidden = true;
  await loadImages();
}

async function pruneImages(): Promise<void> {
  const all = byId<HTMLInputElement>('prune-all').checked;
  const what = all ? 'every image no container uses' : 'every dangling image';
  if (!(await confirmAction(`Remove ${what}?`, 'Prune'))) return;
  const result = await api<{ deleted: unknown[]; spaceReclaimed: number }>('/api/prune', { method: 'POST', body: JSON.stringify({ all }) });
  byId('prune-result').textContent = `Pruned: ${result.deleted.length} entries, ${humanSize(result.spaceReclaimed)} reclaimed.`;
  await loadImages();
}

// --- pull and build ---------------------------------------------------------------------------

async function pull(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const reference = byId<HTMLInputElement>('pull-reference').value.trim();
  const panel = byId('pull-progress');
  panel.replaceChildren('Starting…');
  panel.dataset['state'] = 'starting';
  const { job } = await api<{ job: string }>('/api/pulls', { method: 'POST', body: JSON.stringify({ reference }) });
  await followJob(panel, job, showError);
  await loadImages();
}

async function build(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const folder = byId<HTMLInputElement>('build-folder').files;
  const archive = byId<HTMLInputElement>('build-archive').files?.[0];
  let body: Blob;
  if (folder !== null && folder.length > 0) body = tarOf(folderFiles(folder));
  else if (archive !== undefined) body = archive;
  else throw new Error('Choose a folder or a tar archive as the build context.');
  const parameters = new URLSearchParams();
  for (const [field, name] of [['build-tag', 'tag'], ['build-dockerfile', 'dockerfile'], ['build-builder', 'builder'], ['build-network', 'network']] as const) {
    const value = byId<HTMLInputElement | HTMLSelectElement>(field).value.trim();
    if (value !== '') parameters.set(name, value);
  }
  if (byId<HTMLInputElement>('build-no-cache').checked) parameters.set('noCache', '1');
  const panel = byId('build-progress');
  panel.replaceChildren(`Uploading the context (${humanSize(body.size)})…`);
  panel.dataset['state'] = 'starting';
  const { job } = await api<{ job: string }>(`/api/builds?${parameters}`, { method: 'POST', body, headers: { 'Content-Type': 'application/x-tar' } });
  await followJob(panel, job, showError);
  await loadImages();
}

// --- start ------------------------------------------------------------------------------------

// One context source at a time: picking a folder forgets the archive, and the other way round.
byId<HTMLInputElement>('build-folder').addEventListener('change', () => (byId<HTMLInputElement>('build-archive').value = ''));
byId<HTMLInputElement>('build-archive').addEventListener('change', () => (byId<HTMLInputElement>('build-folder').value = ''));
byId('refresh').addEventListener('click', () => void guarded(loadImages));
byId('prune').addEventListener('click', () => void guarded(pruneImages));
byId<HTMLFormElement>('pull-form').addEventListener('submit', (event) => void guarded(() => pull(event)));
byId<HTMLFormElement>('build-form').addEventListener('submit', (event) => void guarded(() => build(event)));
document.body.dataset['ready'] = 'true';
void guarded(loadInfo);
void guarded(loadImages);
