/** Latency histograms, medians and the tables the bench prints. */

/** Milliseconds in 0.05 ms buckets up to 20 s (one overflow bucket beyond). */
export class Histogram {
  static readonly STEP_MS = 0.05;
  readonly #counts = new Uint32Array(400_001);
  #total = 0;
  #max = 0;

  add(ms: number): void {
    const bucket = Math.min(this.#counts.length - 1, Math.max(0, Math.floor(ms / Histogram.STEP_MS)));
    this.#counts[bucket] = (this.#counts[bucket] ?? 0) + 1;
    this.#total++;
    if (ms > this.#max) this.#max = ms;
  }

  get count(): number {
    return this.#total;
  }

  get max(): number {
    return this.#max;
  }

  percentile(p: number): number | null {
    if (this.#total === 0) return null;
    const rank = Math.ceil((p / 100) * this.#total);
    let seen = 0;
    for (let i = 0; i < this.#counts.length; i++) {
      seen += this.#counts[i] ?? 0;
      if (seen >= rank) return i === this.#counts.length - 1 ? this.#max : (i + 1) * Histogram.STEP_MS;
    }
    return this.#max;
  }
}

export function percentileOf(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

export function median(values: Array<number | null | undefined>): number | null {
  const present = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (present.length === 0) return null;
  const sorted = [...present].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function fmt(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 1000 && digits <= 1) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(digits);
}

export function mib(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined ? '—' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function kib(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined ? '—' : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** `value / best` as "1.23×", or "—". */
export function ratio(value: number | null | undefined, best: number | null | undefined): string {
  if (value === null || value === undefined || best === null || best === undefined || best === 0) return '—';
  return `${(value / best).toFixed(2)}×`;
}

/** The best of the peers' values: the lowest or the highest, skipping missing ones. */
export function best(values: Array<number | null | undefined>, lowerIsBetter: boolean): number | null {
  const present = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (present.length === 0) return null;
  return lowerIsBetter ? Math.min(...present) : Math.max(...present);
}

export function table(title: string, header: string[], rows: string[][], notes: string[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string =>
    '| ' + cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ') + ' |';
  const out = [
    `\n### ${title}\n`,
    line(header),
    '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|',
    ...rows.map(line),
  ];
  for (const note of notes) out.push(`> ${note}`);
  return out.join('\n');
}
