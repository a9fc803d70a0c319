// What the server's API answers (the server's own types, as the page sees them).

export interface EngineInfo {
  readonly endpoint: string;
  readonly version: string;
  readonly apiVersion: string;
  readonly os: string;
  readonly arch: string;
  readonly builder: 'buildkit' | 'classic';
}

export interface ImageRow {
  readonly id: string;
  readonly shortId: string;
  readonly tags: readonly string[];
  readonly size: number;
  readonly created: string;
  readonly dangling: boolean;
}

export interface ImageDetail {
  readonly row: ImageRow;
  readonly inspect: Record<string, unknown> & { Architecture?: string; Os?: string; Config?: { Cmd?: string[]; Labels?: Record<string, string> } };
  readonly history: readonly { id: string; created: string; createdBy: string; size: number; comment: string }[];
  readonly layers: readonly { digest: string; size?: number; createdBy?: string }[];
}

export interface JobSnapshot {
  readonly id: string;
  readonly kind: 'pull' | 'build';
  readonly title: string;
  readonly state: 'running' | 'done' | 'failed' | 'canceled';
  readonly lines: readonly string[];
  readonly layers: readonly { id: string; status: string; state: string; current?: number; total?: number; finished: boolean }[];
  readonly totals: { readonly layerCount: number; readonly finishedLayers: number; readonly fraction: number | null };
  readonly builder: 'buildkit' | 'classic' | null;
  readonly steps: readonly { number: number; name: string; state: string; cached: boolean; seconds: number; logs: readonly string[]; error: string | null }[];
  readonly image: { readonly id: string; readonly tags: readonly string[] } | null;
  readonly error: string | null;
}
