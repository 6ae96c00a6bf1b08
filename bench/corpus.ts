/**
 * The benchmark corpus: real TypeScript and JavaScript that nobody here wrote —
 * the sources in this project's node_modules and in the npm that runs it —
 * copied into a git repository under `.bench/` (made once, reused after).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isIndexablePath, looksGenerated } from '../server/index/languages';
import { DEFAULT_MAX_FILE_BYTES } from '../server/index/indexer';

const SOURCE_PATTERN = /\.(?:[cm]?[jt]s|[jt]sx)$/;

export interface Corpus {
  root: string;
  /** Repository-relative paths the indexer parses (and the baseline parses too). */
  files: string[];
}

function sourceRoots(projectRoot: string): string[] {
  const npmRoot = path.resolve(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm');
  return [path.join(projectRoot, 'node_modules'), npmRoot].filter((dir) => fs.existsSync(dir));
}

function* walk(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile() && SOURCE_PATTERN.test(entry.name)) yield full;
  }
}

/** Makes (or reuses) the corpus repository and lists the files both contenders parse. */
export function prepareCorpus(projectRoot: string): Corpus {
  const root = path.join(projectRoot, '.bench', 'corpus');
  const marker = path.join(root, '.corpus-ready');
  if (!fs.existsSync(marker)) {
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root, { recursive: true });
    sourceRoots(projectRoot).forEach((sourceRoot, index) => {
      for (const file of walk(sourceRoot)) {
        // Flatten `node_modules` out of the paths: in the corpus they are workspace code.
        const relative = path.relative(sourceRoot, file).split(path.sep).join('/').replace(/node_modules\//g, 'nm/');
        const target = path.join(root, `src${index}`, relative);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(file, target);
      }
    });
    commitCorpus(root, marker);
  }
  const listed = listCorpus(root);
  const files = listed.filter((file) => {
    if (!file || !isIndexablePath(file)) return false;
    const full = path.join(root, file);
    if (fs.statSync(full).size > DEFAULT_MAX_FILE_BYTES) return false;
    return !looksGenerated(fs.readFileSync(full, 'utf8'));
  });
  return { root, files };
}

/** Commits a corpus copied into `root` as one commit on `main`, then leaves `marker` to say it is ready. */
export function commitCorpus(root: string, marker: string): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-q', '-m', 'corpus');
  fs.writeFileSync(marker, '');
}

/** The paths a corpus repository tracks. */
export function listCorpus(root: string): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: root, maxBuffer: 64 * 1024 * 1024 }).toString('utf8').split('\0').filter(Boolean);
}
