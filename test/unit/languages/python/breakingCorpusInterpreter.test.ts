import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { breakingCorpus, type BreakingCase } from './breakingCorpus';

/**
 * Keeps the corpus honest against Python itself: each case's `use` runs against the
 * old module, and fails against the new one exactly when the case expects a break.
 * Skipped where no `python3` is installed.
 */
const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : null;

function runs(testCase: BreakingCase, source: string): { ok: boolean; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-py-'));
  try {
    // A package __init__ case imports its package as `m`; its sibling `core` is written as the re-exports need.
    if (testCase.path?.endsWith('__init__.py')) {
      fs.mkdirSync(path.join(dir, 'm'));
      fs.writeFileSync(path.join(dir, 'm', '__init__.py'), source);
      fs.writeFileSync(path.join(dir, 'm', 'core.py'), 'def run(): pass\ndef stop(): pass\n');
    } else {
      fs.writeFileSync(path.join(dir, 'm.py'), source);
    }
    const script = `import asyncio, m\n${testCase.use}\n`;
    const result = spawnSync(python as string, ['-c', script], { cwd: dir, encoding: 'utf8' });
    return { ok: result.status === 0, output: result.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('python breaking-change corpus, checked by the interpreter', function () {
  before(function () {
    if (!python) this.skip();
  });

  for (const testCase of breakingCorpus) {
    it(testCase.title, () => {
      const old = runs(testCase, testCase.old);
      assert.ok(old.ok, `the use fails against the old version:\n${old.output}`);
      const now = runs(testCase, testCase.new);
      if (testCase.title.includes('syntax error')) return; // the new version does not even import
      assert.equal(!now.ok, testCase.breaks.length > 0, now.ok ? 'the use still works against the new version' : `the use fails against the new version:\n${now.output}`);
    });
  }
});
