/**
 * The worker's clone cache on real git repositories (file:// origins): a pull request's
 * base and head fetched into its folder and checked out clean, the folder reused (with the
 * Diffwise database in the git dir kept), a dead worker's lock taken over and a live one's
 * refused, the least recently used folders evicted beyond the limit, and the two failures
 * a job tells apart (a fetch that failed, a head that is gone).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CloneBusyError, CloneCache, CloneFetchError, cloneCacheSettingsFrom, cloneFolderName, HeadNotFoundError, basicAuthorization } from '../../../server/service/worker/cloneCache';
import { cleanupRepos, commitAll, git, makeRepo, makeTempDir, write } from '../../helpers/gitRepo';

function origin(number: number): { dir: string; base: string; head: string } {
  const dir = makeRepo();
  write(dir, 'src/a.ts', 'export const a = 1;\n');
  const base = commitAll(dir, 'base');
  git(dir, 'checkout', '-q', '-b', 'feature');
  write(dir, 'src/a.ts', 'export const a = 2;\n');
  const head = commitAll(dir, 'feature');
  git(dir, 'update-ref', `refs/pull/${number}/head`, head);
  git(dir, 'checkout', '-q', 'main');
  return { dir, base, head };
}

describe('worker clone cache', () => {
  after(cleanupRepos);

  const cacheIn = (maxClones = 50) => new CloneCache({ dir: makeTempDir('clones-'), maxClones, gitTimeoutMs: 30_000 });
  const request = (o: ReturnType<typeof origin>, number = 7) => ({ repository: 'acme/app', number, cloneUrl: `file://${o.dir}`, headSha: o.head, baseRef: 'main', baseSha: o.base });

  it('fetches the base and head, checks the head out clean, and reuses the folder with its git-dir files kept', async () => {
    const o = origin(7);
    const cache = cacheIn();
    const first = await cache.checkout(request(o));
    assert.equal(git(first.dir, 'rev-parse', 'HEAD'), o.head);
    assert.equal(git(first.dir, 'rev-parse', 'refs/diffwise/base'), o.base);
    assert.equal(fs.readFileSync(path.join(first.dir, 'src/a.ts'), 'utf8'), 'export const a = 2;\n');
    // Left behind by a review: the database in the git dir stays, the work tree's litter goes.
    fs.mkdirSync(path.join(first.dir, '.git', 'diffwise'), { recursive: true });
    fs.writeFileSync(path.join(first.dir, '.git', 'diffwise', 'diffwise.db'), 'kept');
    write(first.dir, 'stray.txt', 'litter');
    write(first.dir, 'src/a.ts', 'edited');
    first.release();

    git(o.dir, 'checkout', '-q', 'feature');
    write(o.dir, 'src/a.ts', 'export const a = 3;\n');
    const pushed = commitAll(o.dir, 'push');
    git(o.dir, 'update-ref', 'refs/pull/7/head', pushed);
    const second = await cache.checkout({ ...request(o), headSha: pushed });
    assert.equal(second.dir, first.dir);
    assert.equal(git(second.dir, 'rev-parse', 'HEAD'), pushed);
    assert.equal(fs.existsSync(path.join(second.dir, 'stray.txt')), false);
    assert.equal(fs.readFileSync(path.join(second.dir, 'src/a.ts'), 'utf8'), 'export const a = 3;\n');
    assert.equal(fs.readFileSync(path.join(second.dir, '.git', 'diffwise', 'diffwise.db'), 'utf8'), 'kept');
    // No credentials or headers in the clone's config.
    assert.doesNotMatch(fs.readFileSync(path.join(second.dir, '.git', 'config'), 'utf8'), /extraheader|Authorization/i);
    second.release();
  });

  it('is a partial clone that has, once checked out, both sides of every changed file: the review needs no lazy fetch', async () => {
    const o = origin(10);
    git(o.dir, 'config', 'uploadpack.allowFilter', 'true');
    const cache = cacheIn();
    const checkout = await cache.checkout(request(o, 10));
    checkout.release();
    assert.equal(git(checkout.dir, 'config', 'remote.origin.promisor'), 'true');
    // With the origin gone, what the review reads must already be here.
    fs.renameSync(o.dir, `${o.dir}-gone`);
    try {
      assert.equal(git(checkout.dir, 'show', `${o.base}:src/a.ts`), 'export const a = 1;');
      assert.equal(git(checkout.dir, 'show', `${o.head}:src/a.ts`), 'export const a = 2;');
    } finally {
      fs.renameSync(`${o.dir}-gone`, o.dir);
    }
  });

  it('takes over the lock of a dead worker, refuses one a live process holds', async () => {
    const o = origin(8);
    const cache = cacheIn();
    const folder = path.join(cache.dir, cloneFolderName('acme/app', 8));
    fs.mkdirSync(cache.dir, { recursive: true });
    // A pid that has exited: a worker killed mid-review.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    fs.writeFileSync(`${folder}.diffwise-worker.lock`, dead);
    const checkout = await cache.checkout(request(o, 8));
    checkout.release();
    assert.equal(fs.existsSync(`${folder}.diffwise-worker.lock`), false);

    // The parent of this process is alive.
    fs.writeFileSync(`${folder}.diffwise-worker.lock`, String(process.ppid));
    await assert.rejects(cache.checkout(request(o, 8)), CloneBusyError);
  });

  it('evicts the least recently used folders beyond the limit, never a locked one', async () => {
    const o = origin(1);
    for (const n of [2, 3]) git(o.dir, 'update-ref', `refs/pull/${n}/head`, o.head);
    const cache = cacheIn(2);
    const one = await cache.checkout(request(o, 1));
    one.release();
    fs.utimesSync(one.dir, new Date(1_000_000), new Date(1_000_000));
    const two = await cache.checkout(request(o, 2));
    // Two is held while three arrives: one, the oldest unlocked, goes.
    const three = await cache.checkout(request(o, 3));
    assert.equal(fs.existsSync(one.dir), false);
    assert.equal(fs.existsSync(two.dir), true);
    assert.equal(fs.existsSync(three.dir), true);
    two.release();
    three.release();
  });

  it('a fetch that fails is a CloneFetchError (retried), a head not on the remote a HeadNotFoundError', async () => {
    const o = origin(9);
    const cache = cacheIn();
    await assert.rejects(cache.checkout({ ...request(o, 9), cloneUrl: `file://${path.join(makeTempDir(), 'missing')}` }), CloneFetchError);
    await assert.rejects(cache.checkout({ ...request(o, 9), headSha: 'f'.repeat(40) }), HeadNotFoundError);
    // Neither leaves the folder locked.
    const checkout = await cache.checkout(request(o, 9));
    checkout.release();
  });

  it('settings: the cache dir from the flag, else XDG_CACHE_HOME; the limits from the environment', () => {
    assert.equal(cloneCacheSettingsFrom({ XDG_CACHE_HOME: '/var/cache' }, undefined).dir, '/var/cache/diffwise/clones');
    assert.equal(cloneCacheSettingsFrom({}, '/srv/clones').dir, '/srv/clones');
    assert.deepEqual(
      (({ maxClones, gitTimeoutMs }) => ({ maxClones, gitTimeoutMs }))(cloneCacheSettingsFrom({ DIFFWISE_WORKER_CACHE_MAX: '3', DIFFWISE_GIT_TIMEOUT_MS: 'soon' }, '/x')),
      { maxClones: 3, gitTimeoutMs: 120_000 },
    );
    assert.equal(basicAuthorization('ghs_abc'), `Basic ${Buffer.from('x-access-token:ghs_abc').toString('base64')}`);
    assert.notEqual(cloneFolderName('a/b', 1), cloneFolderName('a/b', 2));
  });
});
