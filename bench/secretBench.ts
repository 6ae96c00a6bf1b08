/**
 * Secret detection: how much of the labelled corpus (test/unit/rules/secretCorpus.ts)
 * it finds and how often it cries wolf, per kind, next to what secretlint's
 * preset alone would find; and what it costs on real code written by others
 * (the OpenAI SDK's TypeScript sources from node_modules), as a ratio against a
 * plain pass over the same text measured in the same run: `split('\n')` and one
 * token regex per line, the least any scanner must do.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assignmentAndUrlDetections } from '../server/review/secrets/assignments';
import { detectSecrets } from '../server/review/secrets/detect';
import type { Detection } from '../server/review/secrets/detection';
import { privateKeyDetections } from '../server/review/secrets/privateKeys';
import { providerDetections } from '../server/review/secrets/providers';
import { secretlintDetections } from '../server/review/secrets/secretlint';
import { SECRET_CORPUS, type SecretCase } from '../test/unit/rules/secretCorpus';
import { median, row, type BenchResult } from './stats';

const ROUNDS = 7;
/** About this much of the SDK's sources, in whole files. */
const CODE_BYTES = 1024 * 1024;

interface Grid {
  title: string;
  header: string[];
  rows: string[][];
}

interface Tally {
  cases: number;
  secrets: number;
  found: number;
  baseFound: number;
  /** Cases with at least one detection that covers no labelled secret. */
  falseAlarms: number;
}

function overlaps(span: [number, number], detection: Detection): boolean {
  return span[0] < detection.end && detection.start < span[1];
}

function score(testCase: SecretCase, detections: Detection[]): { found: number; falseAlarm: boolean } {
  const spans = testCase.secrets.map((secret): [number, number] => {
    const at = testCase.text.indexOf(secret);
    return [at, at + secret.length];
  });
  return {
    found: spans.filter((span) => detections.some((detection) => overlaps(span, detection))).length,
    falseAlarm: detections.some((detection) => !spans.some((span) => overlaps(span, detection))),
  };
}

const percent = (part: number, whole: number): string => (whole ? `${((100 * part) / whole).toFixed(0)}%` : '–');

async function accuracy(): Promise<Grid> {
  const tallies = new Map<string, Tally>();
  for (const testCase of SECRET_CORPUS) {
    const ours = score(testCase, await detectSecrets(testCase.text, testCase.path));
    const base = score(testCase, await secretlintDetections(testCase.text, testCase.path));
    const tally = tallies.get(testCase.kind) ?? { cases: 0, secrets: 0, found: 0, baseFound: 0, falseAlarms: 0 };
    tally.cases++;
    tally.secrets += testCase.secrets.length;
    tally.found += ours.found;
    tally.baseFound += base.found;
    if (ours.falseAlarm) tally.falseAlarms++;
    tallies.set(testCase.kind, tally);
  }
  const total: Tally = { cases: 0, secrets: 0, found: 0, baseFound: 0, falseAlarms: 0 };
  const rows = [...tallies.entries()]
    .sort(([a, x], [b, y]) => Number(y.secrets > 0) - Number(x.secrets > 0) || a.localeCompare(b))
    .map(([kind, tally]) => {
      for (const key of Object.keys(total) as Array<keyof Tally>) total[key] += tally[key];
      return [kind, String(tally.cases), String(tally.secrets), percent(tally.found, tally.secrets), percent(tally.baseFound, tally.secrets), percent(tally.falseAlarms, tally.cases)];
    });
  rows.push(['all', String(total.cases), String(total.secrets), percent(total.found, total.secrets), percent(total.baseFound, total.secrets), percent(total.falseAlarms, total.cases)]);
  return {
    title: `Secret detection on the labelled corpus (${SECRET_CORPUS.length} cases; known misses included)`,
    header: ['kind', 'cases', 'secrets', 'recall', 'secretlint alone', 'false alarms'],
    rows,
  };
}

/** The SDK's .ts files in path order, up to CODE_BYTES. */
function realCode(projectRoot: string): Array<{ path: string; text: string }> {
  const root = path.join(projectRoot, 'node_modules', 'openai', 'src');
  const files: Array<{ path: string; text: string }> = [];
  let bytes = 0;
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (bytes >= CODE_BYTES) return;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        const text = fs.readFileSync(full, 'utf8');
        files.push({ path: path.relative(root, full), text });
        bytes += Buffer.byteLength(text);
      }
    }
  };
  walk(root);
  return files;
}

async function timeRounds(run: () => Promise<number> | number): Promise<{ ms: number; found: number }> {
  const times: number[] = [];
  let found = 0;
  await run(); // warm-up: secretlint's import, regex compilation
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    found = await run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { ms: median(times), found };
}

async function speed(projectRoot: string): Promise<BenchResult[]> {
  const files = realCode(projectRoot);
  const kb = files.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0) / 1024;
  const plainToken = /\b(?:gh[pousr]_[A-Za-z0-9]{36}|AKIA[A-Z2-7]{16})\b/g;
  const baseline = await timeRounds(() => {
    let count = 0;
    for (const file of files) for (const line of file.text.split('\n')) for (const _match of line.matchAll(plainToken)) count++;
    return count;
  });
  const stages: Array<[string, () => Promise<number> | number]> = [
    ['all detectors (detectSecrets)', async () => { let n = 0; for (const f of files) n += (await detectSecrets(f.text, f.path)).length; return n; }],
    ['  secretlint preset alone', async () => { let n = 0; for (const f of files) n += (await secretlintDetections(f.text, f.path)).length; return n; }],
    ['  provider table alone', () => files.reduce((n, f) => n + providerDetections(f.text).length, 0)],
    ['  private keys alone', () => files.reduce((n, f) => n + privateKeyDetections(f.text).length, 0)],
    ['  assignments and URLs alone', () => files.reduce((n, f) => n + assignmentAndUrlDetections(f.text, true).length, 0)],
  ];
  const results = [row('baseline: split + one regex', baseline.ms, 1, `${files.length} files, ${kb.toFixed(0)} KiB of the OpenAI SDK's sources`)];
  for (const [name, run] of stages) {
    const measured = await timeRounds(run);
    results.push(row(name, measured.ms, measured.ms / baseline.ms, `${((kb / 1024) / (measured.ms / 1000)).toFixed(1)} MiB/s, ${measured.found} detection(s)`));
  }
  return results;
}

/** The corpus figures, then the timings, medians of ROUNDS runs. */
export async function secretBench(projectRoot: string): Promise<{ grids: Grid[]; timings: BenchResult[] }> {
  return { grids: [await accuracy()], timings: await speed(projectRoot) };
}
