import * as assert from 'node:assert/strict';
import { loadCoChangeSettings } from '../../../server/history/settings';
import { pullCoChangeSettings, type SectionReader } from '../../../server/lsp/coChangeSettings';
import { cleanupRepos, makeTempDir, write } from '../../helpers/gitRepo';

const answering = (value: unknown): SectionReader => (async () => value) as SectionReader;

describe('co-change settings', () => {
  after(cleanupRepos);

  it('defaults, then .diffwise/config.json, then the editor or the CLI', () => {
    const dir = makeTempDir();
    assert.deepEqual(loadCoChangeSettings(dir), { enabled: true, commits: 1000, minSupport: 3, minConfidence: 0.7, maxFilesPerCommit: 30 });
    write(dir, '.diffwise/config.json', JSON.stringify({ llm: { model: 'x' }, coChange: { enabled: false, minSupport: 5 } }));
    assert.deepEqual(loadCoChangeSettings(dir), { enabled: false, commits: 1000, minSupport: 5, minConfidence: 0.7, maxFilesPerCommit: 30 });
    assert.equal(loadCoChangeSettings(dir, { enabled: true }).enabled, true);
    assert.equal(loadCoChangeSettings(dir, { enabled: undefined }).enabled, false, 'an unset override leaves the file\'s word');
  });

  it('refuses a config file it cannot trust, naming the field', () => {
    const dir = makeTempDir();
    write(dir, '.diffwise/config.json', JSON.stringify({ coChange: { minConfidence: 2 } }));
    assert.throws(() => loadCoChangeSettings(dir), /Invalid .*config\.json: coChange\.minConfidence/);
    write(dir, '.diffwise/config.json', JSON.stringify({ coChange: { minSuport: 2 } }));
    assert.throws(() => loadCoChangeSettings(dir), /coChange/);
  });

  it('takes only an explicit "off" from the editor (its default says nothing over the config file)', async () => {
    assert.deepEqual(await pullCoChangeSettings(answering({ enabled: false }), '/repo'), { enabled: false });
    assert.deepEqual(await pullCoChangeSettings(answering({ enabled: true }), '/repo'), { enabled: undefined });
    assert.equal(await pullCoChangeSettings(answering(null), '/repo'), undefined);
    assert.deepEqual(await pullCoChangeSettings(answering({ enabled: 'no' }), '/repo'), { enabled: undefined });
  });
});
