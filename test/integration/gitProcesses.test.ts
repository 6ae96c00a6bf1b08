import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ReviewDocument } from '../../shared/review';
import { GitRepository } from '../../server/git/repository';
import { runCliJson } from '../helpers/cli';
import { cleanupRepos, featureBranchRepo, git, makeTempDir, write } from '../helpers/gitRepo';

/**
 * Each git process costs a review its start-up (issue 14: an unchanged re-review in
 * about 300 ms), so how many a review runs is pinned here, and the answers of the
 * combined ones are checked against the commands they stand in for.
 */

/** The git commands (their first word) `work` ran, from GIT_TRACE. */
async function gitCommandsOf(work: (env: NodeJS.ProcessEnv) => Promise<unknown> | unknown): Promise<string[]> {
  const trace = path.join(makeTempDir('diffwise-git-trace-'), 'trace.txt');
  await work({ GIT_TRACE: trace });
  if (!fs.existsSync(trace)) return [];
  return fs.readFileSync(trace, 'utf8').split('\n')
    .filter((line) => / trace: built-in: git /.test(line))
    .map((line) => line.replace(/^.* trace: built-in: git /, '').split(' ').filter((word) => !word.startsWith('-') && word !== "'core.quotepath=off'")[0]);
}

/** A GitRepository whose git processes see `env` too (it copies the environment when opened). */
async function openWith(repo: string, env: NodeJS.ProcessEnv): Promise<GitRepository> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    return await GitRepository.open(repo);
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

function branchRepo(): string {
  return featureBranchRepo(
    { 'src/shapes.ts': 'export function area(side: number): number {\n  return side * side;\n}\n', 'src/main.ts': "import { area } from './shapes';\nexport const total = area(2);\n" },
    { 'src/shapes.ts': 'export function area(side: number, scale = 1): number {\n  return side * side * scale;\n}\n', 'src/main.ts': "import { area } from './shapes';\nexport const total = area(2);\nconsole.log(total);\n" },
  );
}

describe('git processes per review', () => {
  after(cleanupRepos);

  it('an unchanged branch re-reviewed from the CLI runs six: open, HEAD, merge base, diff, status, one blob batch', async () => {
    const repo = branchRepo();
    const db = path.join(makeTempDir('diffwise-db-'), 'review.db');
    const review = ['review', '--base', 'main', '--format', 'json', '--fail-on', 'never', '--no-llm', '--db', db];
    assert.equal(runCliJson<ReviewDocument>(repo, review).code, 0);
    let again: ReviewDocument | undefined;
    const commands = await gitCommandsOf((env) => {
      again = runCliJson<ReviewDocument>(repo, review, env).json;
    });
    assert.ok(again && again.run.hunks > 0 && again.run.cacheHits === again.run.hunks, 'the re-review is all from the cache');
    assert.deepEqual(commands.sort(), ['cat-file', 'diff', 'merge-base', 'rev-parse', 'rev-parse', 'status']);
  });

  it('HEAD from one rev-parse says what rev-parse, symbolic-ref --short and --is-shallow-repository say', async () => {
    const repo = branchRepo();
    // A tag of the branch's name makes symbolic-ref --short say heads/feature; a file named HEAD
    // would make a bare `rev-parse HEAD` ambiguous.
    git(repo, 'tag', 'feature', 'main');
    write(repo, 'HEAD', 'not a revision\n');
    const expected = () => {
      const symbolic = (() => {
        try {
          return git(repo, 'symbolic-ref', '--quiet', '--short', 'HEAD');
        } catch {
          return null;
        }
      })();
      return { sha: git(repo, 'rev-parse', 'HEAD^{commit}'), branch: symbolic, detached: symbolic === null, unborn: false, shallow: false };
    };
    let opened: GitRepository | undefined;
    const commands = await gitCommandsOf(async (env) => {
      opened = await openWith(repo, env);
      assert.deepEqual(await opened.head(), expected());
    });
    assert.equal(expected().branch, 'heads/feature');
    assert.deepEqual(commands, ['rev-parse', 'rev-parse'], 'open, then HEAD in one process');

    git(repo, 'checkout', '-q', '--detach');
    assert.deepEqual(await opened!.head(), expected());
    git(repo, 'checkout', '-q', 'heads/feature');

    const origin = branchRepo();
    const clone = path.join(makeTempDir('diffwise-shallow-'), 'clone');
    git(path.dirname(clone), 'clone', '-q', '--depth', '1', `file://${origin}`, clone);
    const shallow = await GitRepository.open(clone);
    assert.deepEqual(await shallow.head(), { sha: git(clone, 'rev-parse', 'HEAD'), branch: 'feature', detached: false, unborn: false, shallow: true });
  });

  it('blob reads asked for together share one cat-file, and answer as reads one by one do', async () => {
    const repo = branchRepo();
    const base = git(repo, 'rev-parse', 'main');
    write(repo, 'src/staged.ts', 'export const staged = 1;\n');
    git(repo, 'add', 'src/staged.ts');
    const files = ['src/shapes.ts', 'src/main.ts', 'src/staged.ts', 'src/missing.ts'];
    let together: Array<Map<string, Buffer | null>> = [];
    const commands = await gitCommandsOf(async (env) => {
      const opened = await openWith(repo, env);
      together = await Promise.all([opened.readBlobs('HEAD', files), opened.readBlobs(base, files), opened.readBlobs(':', files)]);
    });
    assert.deepEqual(commands, ['rev-parse', 'cat-file'], 'open, then one batch for the three revisions');

    const opened = await GitRepository.open(repo);
    const alone = [await opened.readBlobs('HEAD', files), await opened.readBlobs(base, files), await opened.readBlobs(':', files)];
    const one = await Promise.all(['HEAD', base, ':'].map(async (rev) => new Map(await Promise.all(files.map(async (file) => [file, await opened.readBlob(rev, file)] as const)))));
    assert.deepEqual(together, alone);
    assert.deepEqual(together, one);
    assert.equal(together[0].get('src/missing.ts'), null);
    assert.equal(together[1].get('src/main.ts')?.toString('utf8'), "import { area } from './shapes';\nexport const total = area(2);\n");
    assert.equal(together[2].get('src/staged.ts')?.toString('utf8'), 'export const staged = 1;\n');
    assert.equal(together[0].get('src/staged.ts'), null, 'staged only: not in HEAD');
  });
});
