/**
 * The repository the pull-request tests share: `main` with src/app.ts (10 lines),
 * a `feature` branch that changes line 5 and line 8 (by default to another
 * constant; the bad-input suite makes it a function with two debug leftovers),
 * and `origin` on github.com/octo/app.
 */
import { commitAll, git, makeRepo, write } from './gitRepo';

/** `n` lines of `export const <prefix>N = N;`. */
export const lines = (n: number, prefix = 'line'): string[] => Array.from({ length: n }, (_, i) => `export const ${prefix}${i + 1} = ${i + 1};`);

export function featureRepo(line8 = 'export const line8 = 80;'): { repo: string; head: string; base: string } {
  const repo = makeRepo();
  write(repo, 'src/app.ts', `${lines(10).join('\n')}\n`);
  const base = commitAll(repo, 'initial');
  git(repo, 'checkout', '-q', '-b', 'feature');
  const changed = lines(10);
  changed[4] = 'export const line5 = 50;';
  changed[7] = line8;
  write(repo, 'src/app.ts', `${changed.join('\n')}\n`);
  const head = commitAll(repo, 'feature');
  git(repo, 'remote', 'add', 'origin', 'https://github.com/octo/app.git');
  return { repo, head, base };
}
