import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** One sample of a text exposition: its series name, labels and value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A scraped exposition: its text, and the names `# TYPE` declares. */
export interface Exposition {
  text: string;
  samples: Sample[];
  /** Metric names as declared (a histogram's base name, without _bucket, _sum, _count). */
  declared: Set<string>;
}

/** GETs `/metrics` beside a server's `/graphql` URL. */
export async function scrapeMetrics(graphqlUrl: string, headers: Record<string, string> = {}): Promise<Exposition> {
  const response = await fetch(new URL('/metrics', graphqlUrl), { headers });
  if (response.status !== 200) throw new Error(`GET /metrics of ${graphqlUrl} answered ${response.status}`);
  return parseExposition(await response.text());
}

/** The Prometheus text format, as far as a test reads it (no escapes beyond \\" and \\\\ in label values). */
export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const declared = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) \S+$/.exec(line);
    if (type) declared.add(type[1]!);
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match) throw new Error(`Not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key!] = raw!.replace(/\\(.)/g, '$1');
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return { text, samples, declared };
}

/** The sum of the samples of `name` whose labels include `labels`. */
export function sampleSum(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  return exposition.samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** Every label value of the exposition, once each. */
export function labelValues(exposition: Exposition): Set<string> {
  return new Set(exposition.samples.flatMap((s) => Object.values(s.labels)));
}

const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((path) => existsSync(path)) ?? 'promtool';

/** Whether `promtool` (Debian's package `prometheus`) runs on this machine. */
export function promtoolAvailable(): boolean {
  return spawnSync(PROMTOOL, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** `promtool check metrics` over an exposition: its exit status and what it said. */
export function promtoolCheck(text: string): { status: number | null; output: string } {
  const run = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}
