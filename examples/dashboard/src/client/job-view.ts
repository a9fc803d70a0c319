// Follows a pull or build on the server (server-sent events) and draws it: one row per layer
// with its bar, the build's steps with their state, time and last output lines.
import { api } from './api.js';
import { element, humanSize } from './format.js';
import type { JobSnapshot } from './types.js';

/** Draws one snapshot into the job's panel (replacing what was there). */
export function renderJob(panel: HTMLElement, job: JobSnapshot, onCancel: () => void): void {
  panel.dataset['state'] = job.state;
  panel.replaceChildren();
  const stateText = { running: 'running…', done: 'done', failed: 'failed', canceled: 'canceled' }[job.state];
  const header = element('div', { class: 'job-header' }, element('strong', {}, job.title), ' ', element('span', { class: `badge ${job.state}`, 'data-testid': 'job-state' }, stateText));
  if (job.state === 'running') {
    const cancel = element('button', { type: 'button', class: 'secondary' }, 'Cancel');
    cancel.addEventListener('click', onCancel);
    header.append(' ', cancel);
  }
  panel.append(header);

  if (job.layers.length > 0) {
    const { layerCount, finishedLayers, fraction } = job.totals;
    const overall = element('progress', { max: '1', 'data-testid': 'overall' });
    if (fraction !== null) overall.value = fraction;
    panel.append(element('div', { class: 'totals' }, `${finishedLayers}/${layerCount} layers `, overall));
    const list = element('div', { class: 'layers' });
    for (const layer of job.layers) {
      const bar = element('progress', {});
      if (layer.total !== undefined && layer.current !== undefined) {
        bar.max = layer.total;
        bar.value = Math.min(layer.current, layer.total);
      } else if (layer.finished) {
        bar.max = 1;
        bar.value = 1;
      }
      const bytes = layer.total !== undefined && layer.current !== undefined && !layer.finished ? `${humanSize(Math.min(layer.current, layer.total))} / ${humanSize(layer.total)}` : '';
      list.append(element('div', { class: 'layer', 'data-layer': layer.id, 'data-state': layer.state }, element('code', {}, layer.id), element('span', { class: 'status' }, layer.status), bar, element('span', { class: 'bytes' }, bytes)));
    }
    panel.append(list);
  }

  if (job.steps.length > 0) {
    const list = element('ol', { class: 'steps' });
    for (const step of job.steps) {
      const label = step.cached ? 'cached' : step.state;
      const item = element('li', { 'data-state': step.state }, element('span', { class: 'step-name' }, `#${step.number} ${step.name}`), element('span', { class: `badge ${step.state}` }, label), element('span', { class: 'seconds' }, `${step.seconds.toFixed(1)}s`));
      if ((step.state === 'running' || step.state === 'error') && step.logs.length > 0) item.append(element('pre', { class: 'logs' }, step.logs.join('\n')));
      if (step.error !== null) item.append(element('div', { class: 'step-error' }, step.error));
      list.append(item);
    }
    panel.append(list);
  }

  if (job.lines.length > 0) panel.append(element('pre', { class: 'lines' }, job.lines.join('\n')));
  if (job.image !== null) panel.append(element('p', { class: 'result', 'data-testid': 'job-result' }, `Image ${job.image.id.slice(7, 19)} ${job.image.tags.join(', ')}`));
  if (job.error !== null) panel.append(element('p', { class: 'job-error', role: 'alert' }, job.error));
}

/** Follows a job until it ends; resolves to its last snapshot. */
export function followJob(panel: HTMLElement, id: string, onError: (message: string) => void): Promise<JobSnapshot> {
  return new Promise((resolve) => {
    const events = new EventSource(`/api/jobs/${id}/events`);
    let last: JobSnapshot | undefined;
    const cancel = (): void => {
      api(`/api/jobs/${id}`, { method: 'DELETE' }).catch((error: unknown) => onError(String((error as Error).message)));
    };
    events.addEventListener('snapshot', (message) => {
      last = JSON.parse((message as MessageEvent<string>).data) as JobSnapshot;
      renderJob(panel, last, cancel);
      if (last.state !== 'running') {
        events.close();
        resolve(last);
      }
    });
    events.addEventListener('error', () => {
      // The stream ends after the last snapshot; anything else is a lost connection.
      if (last !== undefined && last.state !== 'running') return;
      events.close();
      onError('Lost the connection to the dashboard server while following the job.');
      panel.dataset['state'] = 'failed';
      if (last !== undefined) resolve(last);
    });
  });
}
