/**
 * Review latency on a 50-file branch: from the review request to the last
 * diagnostic reaching an LSP client (the daemon, warm, as in the editor), and a
 * cold `diffwise review` from the terminal. The baseline is `git diff` of the
 * same range: the least any review of that change has to do.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { ReviewRequest } from '../shared/protocol';
import { cleanupRepos, commitAll, git, makeRepo, write } from '../test/helpers/gitRepo';
import { TestLspClient } from '../test/helpers/lspClient';
import { median, row, type BenchResult } from './stats';

const FILES = 50;
const ROUNDS = 7;

/** A repository whose `feature` branch changes 50 files: breaking changes with callers, debug prints, plain edits. */
export function makeBranch(): string {
  const repo = makeRepo();
  for (let i = 0; i < FILES; i++) {
    const next = (i + 1) % FILES;
    write(repo, `src/module${i}.ts`, [
      `import { compute${next} } from './module${next}';`,
      '',
      `export function compute${i}(value: number): number {`,
      `  return value > ${i} ? value : compute${next}(value + 1);`,
      '}',
      '',
      `export const label${i} = 'module ${i}';`,
      '',
    ].join('\n'));
  }
  commitAll(repo, 'base');
  git(repo, 'checkout', '-q', '-b', 'feature');
  for (let i = 0; i < FILES; i++) {
    const next = (i + 1) % FILES;
    const breaking = i % 5 === 0;
    write(repo, `src/module${i}.ts`, [
      `import { compute${next} } from './module${next}';`,
      '',
      `export function compute${i}(value: number${breaking ? ', scale: number' : ''}): number {`,
      i % 3 === 0 ? `  console.log('compute${i}', value);` : '  // checked',
      `  return value > ${i} ? value : compute${next}(value + 1${(next % 5 === 0) ? ', 1' : ''});`,
      '}',
      '',
      `export const label${i} = 'module ${i} (changed)';`,
      '',
    ].join('\n'));
  }
  commitAll(repo, 'feature');
  return repo;
}

export async function reviewBench(projectRoot: string): Promise<BenchResult[]> {
  const repo = makeBranch();
  const cli = path.join(projectRoot, 'dist', 'cli.js');
  const diffTimes: number[] = [];
  const cliTimes: number[] = [];
  const lspTimes: number[] = [];
  let findings = 0;
  const client = await TestLspClient.start(repo);
  try {
    await client.waitFor(() => client.statuses.some((status) => status.state === 'idle'), 'the first index');
    for (let round = 0; round <= ROUNDS; round++) {
      let started = performance.now();
      execFileSync('git', ['diff', 'main...feature'], { cwd: repo, maxBuffer: 16 << 20 });
      const diffMs = performance.now() - started;

      started = performance.now();
      execFileSync(process.execPath, [cli, 'review', '--base', 'main', '--format', 'json', '--fail-on', 'never'], { cwd: repo, maxBuffer: 16 << 20 });
      const cliMs = performance.now() - started;

      client.diagnostics.clear();
      started = performance.now();
      const document = await client.connection.sendRequest(ReviewRequest.type, { scope: 'branch', base: 'main' });
      const files = new Set(document.findings.map((finding) => finding.file));
      await client.waitFor(() => [...files].every((file) => client.diagnosticsFor(repo, file).length > 0), 'every file\'s diagnostics');
      const lspMs = performance.now() - started;
      findings = document.findings.length;
      if (round === 0) continue; // warm-up
      diffTimes.push(diffMs);
      cliTimes.push(cliMs);
      lspTimes.push(lspMs);
    }
  } finally {
    await client.stop();
    cleanupRepos();
  }
  const baseline = median(diffTimes);
  console.log(`review corpus: a branch changing ${FILES} files, ${findings} findings, ${ROUNDS} rounds, medians`);
  return [
    row('git diff (baseline)', baseline, 1, 'git diff main...feature, a process'),
    row('review → diagnostics (daemon)', median(lspTimes), median(lspTimes) / baseline, 'LSP request until the last file has its diagnostics; index warm'),
    row('diffwise review (CLI)', median(cliTimes), median(cliTimes) / baseline, 'a fresh process: start-up, index check, review, JSON'),
  ];
}
