/**
 * A docker-style bar `[=====>     ]`, `width` columns in all (brackets included).
 *
 * @example
 * ```ts
 * progressBar(0.5, 12); // '[====>     ]'
 * ```
 */
export function progressBar(fraction: number, width: number): string {
  const inner = Math.max(1, width - 2);
  const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const filled = Math.floor(clamped * inner);
  if (filled >= inner) return `[${'='.repeat(inner)}]`;
  return `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(inner - Math.max(filled, 0))}]`;
}
