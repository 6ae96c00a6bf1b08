/**
 * Real histories written by others, for the cache bench: the releases of a few
 * npm packages that ship their TypeScript sources (bench/histories/packages.json),
 * each release's sources one commit of a git repository under `.bench/histories/`.
 * The tarballs come from `npm pack` (the registry, nothing else) into
 * `.bench/histories/tarballs/`, once; the repositories are built from them once and
 * rebuilt only when the list of versions changes.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface HistoryPackage {
  package: string;
  /** Why this package: what kind of history it is. */
  why: string;
  /** The folder of the tarball that holds the sources (`src`). */
  sources: string;
  /** Consecutive published releases, oldest first; one that changed no source file makes no commit. */
  versions: string[];
  /** Set when the replay is too slow for `npm run bench history` without names: why (it runs when named). */
  onlyByName?: string;
}

export type HistoryRepo =
  | { package: HistoryPackage; root: string; commits: string[]; unchanged: string[] }
  | { package: HistoryPackage; skipped: string };

/** Bump when the way a repository is built changes: every history is built again. */
const LAYOUT_VERSION = 2;

const GIT_IDENTITY = ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', '-c', 'commit.gpgsign=false'];

export function historyPackages(projectRoot: string): HistoryPackage[] {
  return JSON.parse(fs.readFileSync(path.join(projectRoot, 'bench', 'histories', 'packages.json'), 'utf8')) as HistoryPackage[];
}

/** `npm pack name@version` into `dir` unless it is there already; the tarball's path. */
function pack(dir: string, name: string, version: string): string {
  const file = path.join(dir, `${name.replace(/^@/, '').replace(/\//g, '-')}-${version}.tgz`);
  if (fs.existsSync(file) && fs.statSync(file).size > 0) return file;
  const tmp = fs.mkdtempSync(path.join(dir, 'pack-'));
  try {
    execFileSync('npm', ['pack', `${name}@${version}`, '--pack-destination', tmp, '--silent'], { cwd: tmp, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
    const [packed] = fs.readdirSync(tmp).filter((entry) => entry.endsWith('.tgz'));
    if (!packed) throw new Error(`npm pack ${name}@${version} wrote no tarball`);
    fs.renameSync(path.join(tmp, packed), file);
    return file;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function firstLine(error: unknown): string {
  const stderr = (error as { stderr?: Buffer }).stderr?.toString('utf8') ?? '';
  const text = stderr.split('\n').find((line) => /error|ERR/i.test(line)) ?? (error as Error).message;
  return text.trim().slice(0, 200);
}

/**
 * The history repository of one package: made (or reused) under
 * `.bench/histories/repos/<name>`, one commit per release, oldest first. When a
 * tarball cannot be fetched (no registry) the package is skipped, saying why.
 */
export function prepareHistory(projectRoot: string, pkg: HistoryPackage): HistoryRepo {
  const base = path.join(projectRoot, '.bench', 'histories');
  const tarballs = path.join(base, 'tarballs');
  const root = path.join(base, 'repos', pkg.package.replace(/^@/, '').replace(/\//g, '+'));
  const marker = path.join(root, '.git', 'diffwise-history-ready');
  const identity = createHash('sha256').update(JSON.stringify([LAYOUT_VERSION, pkg.package, pkg.sources, pkg.versions])).digest('hex');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } }).trim();
  const unchangedFile = path.join(root, '.git', 'diffwise-history-unchanged.json');
  if (!fs.existsSync(marker) || fs.readFileSync(marker, 'utf8') !== identity) {
    fs.mkdirSync(tarballs, { recursive: true });
    const files: string[] = [];
    for (const version of pkg.versions) {
      try {
        files.push(pack(tarballs, pkg.package, version));
      } catch (error) {
        return { package: pkg, skipped: `npm pack ${pkg.package}@${version} failed (is the npm registry reachable?): ${firstLine(error)}` };
      }
    }
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root, { recursive: true });
    git('init', '-q', '-b', 'main');
    const unpacked = path.join(base, 'unpacked');
    const unchanged: string[] = [];
    pkg.versions.forEach((version, i) => {
      fs.rmSync(unpacked, { recursive: true, force: true });
      fs.mkdirSync(unpacked, { recursive: true });
      execFileSync('tar', ['xzf', files[i], '-C', unpacked, '--strip-components=1', '--no-same-owner']);
      const sources = path.join(unpacked, pkg.sources);
      if (!fs.existsSync(sources)) throw new Error(`${pkg.package}@${version} has no ${pkg.sources}/ folder: it does not ship its sources`);
      // The release's sources replace the last one's whole: deleted files are deleted in the commit.
      fs.rmSync(path.join(root, pkg.sources), { recursive: true, force: true });
      fs.cpSync(sources, path.join(root, pkg.sources), { recursive: true });
      git('add', '-A');
      // A branch does not grow by empty commits: a release that changed no source (a dependency bump) is left out.
      if (i > 0 && git('status', '--porcelain') === '') {
        unchanged.push(version);
        return;
      }
      // A fixed date per release: the repository (and its commit ids) is the same wherever it is built.
      const date = new Date(Date.UTC(2025, 0, 1 + i)).toISOString();
      execFileSync('git', [...GIT_IDENTITY, 'commit', '-q', '-m', `${pkg.package} ${version}`], {
        cwd: root, env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_CONFIG_NOSYSTEM: '1' },
      });
    });
    fs.rmSync(unpacked, { recursive: true, force: true });
    fs.writeFileSync(unchangedFile, JSON.stringify(unchanged));
    fs.writeFileSync(marker, identity);
  }
  const unchanged = JSON.parse(fs.readFileSync(unchangedFile, 'utf8')) as string[];
  return { package: pkg, root, commits: git('rev-list', '--reverse', '--first-parent', 'HEAD').split('\n'), unchanged };
}

/** Run directly, it fetches and builds every history: `node --import tsx bench/historyCorpus.ts`. */
if (require.main === module) {
  const projectRoot = path.resolve(__dirname, '..');
  for (const pkg of historyPackages(projectRoot)) {
    const history = prepareHistory(projectRoot, pkg);
    console.log('skipped' in history ? `${pkg.package}: skipped, ${history.skipped}` : `${pkg.package}: ${history.commits.length} commits in ${history.root} (${history.unchanged.length} releases changed no source)`);
  }
}
