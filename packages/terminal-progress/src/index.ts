// @berth/terminal-progress: shows Berth's typed progress on a terminal (live, redrawn in place)
// or in a log (plain lines): docker-style layer bars, the classic builder's output, a BuildKit
// step view, byte progress.

export {
  createProgressRenderer,
  type ProgressKind,
  type ProgressRenderer,
  type ProgressRendererOptions,
} from './progress-renderer.js';
export { renderProgress, type RenderProgressOptions } from './render-progress.js';
export { countBytes } from './count-bytes.js';
export type { ProgressOutcome } from './views/progress-view.js';
export type { ProgressMode, TerminalOutput } from './terminal/terminal-output.js';
export { humanSize } from './format/human-size.js';
export { formatDuration } from './format/format-duration.js';
