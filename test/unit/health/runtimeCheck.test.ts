import * as assert from 'node:assert/strict';
import { gitCheck, gitVersionCheck, nodeCheck } from '../../../server/health/runtimeCheck';

describe('health: Node and git', () => {
  it('passes Node 20 and later, and names the version to install below it', () => {
    assert.equal(nodeCheck('20.19.0').status, 'ok');
    assert.equal(nodeCheck('22.3.1').detail, 'Node 22.3.1');
    const old = nodeCheck('18.20.4');
    assert.equal(old.status, 'error');
    assert.match(old.fix!, /Node 20 or later/);
  });

  it('reads git --version as git prints it, Apple\'s suffix included, against the minimum', () => {
    assert.deepEqual([gitVersionCheck('git version 2.43.0\n').status, gitVersionCheck('git version 2.43.0\n').detail], ['ok', 'git 2.43.0']);
    assert.equal(gitVersionCheck('git version 2.39.3 (Apple Git-145)').status, 'ok');
    assert.equal(gitVersionCheck('git version 3.0').status, 'ok');
    const old = gitVersionCheck('git version 2.17.1');
    assert.equal(old.status, 'error');
    assert.match(old.fix!, /2\.20 or later/);
    assert.equal(gitVersionCheck('something else').status, 'warning');
  });

  it('asks the git on PATH, and says so when there is none', async () => {
    assert.equal((await gitCheck()).status, 'ok');
    const missing = await gitCheck({ ...process.env, PATH: '/nonexistent' });
    assert.equal(missing.status, 'error');
    assert.match(missing.detail, /not installed or not on PATH/);
  });
});
