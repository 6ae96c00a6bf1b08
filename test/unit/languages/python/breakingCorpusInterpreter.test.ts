import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { breakingCorpus, type BreakingCase } from './breakingCorpus';

/**
 * Keeps the corpus honest against Python itself: each case's `use` runs against the
 * old module, and fails against the new one exactly when the case expects a break.
 * One interpreter runs every case (a fresh import of `m` each time: a process per
 * case took two minutes). Skipped where no `python3` is installed.
 */
const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : null;

const DRIVER = `
import asyncio, importlib, json, sys, traceback
results = {}
for entry in json.load(open(sys.argv[1])):
    sys.path.insert(0, entry["dir"])
    for name in [n for n in sys.modules if n == "m" or n.startswith("m.")]:
        del sys.modules[name]
    importlib.invalidate_caches()
    try:
        import m
        exec(entry["use"], {"m": m, "asyncio": asyncio})
        results[entry["key"]] = None
    except BaseException:
        results[entry["key"]] = traceback.format_exc(limit=1)
    sys.path.remove(entry["dir"])
print(json.dumps(results))
`;

/** Writes one version of a case as the module `m` (a package when the case is an `__init__.py`). */
function writeVersion(dir: string, testCase: BreakingCase, source: string): void {
  fs.mkdirSync(dir, { recursive: true });
  if (testCase.path?.endsWith('__init__.py')) {
    fs.mkdirSync(path.join(dir, 'm'));
    fs.writeFileSync(path.join(dir, 'm', '__init__.py'), source);
    fs.writeFileSync(path.join(dir, 'm', 'core.py'), 'def run(): pass\ndef stop(): pass\n');
  } else {
    fs.writeFileSync(path.join(dir, 'm.py'), source);
  }
}

describe('python breaking-change corpus, checked by the interpreter', function () {
  /** Per case and version, null when the use ran, else the error. */
  let results: Record<string, string | null> = {};

  before(function () {
    if (!python) this.skip();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-py-'));
    try {
      const entries = breakingCorpus.flatMap((testCase, i) =>
        (['old', 'new'] as const).map((version) => {
          const dir = path.join(root, `${i}`, version);
          writeVersion(dir, testCase, testCase[version]);
          return { key: `${i}:${version}`, dir, use: testCase.use };
        }),
      );
      fs.writeFileSync(path.join(root, 'cases.json'), JSON.stringify(entries));
      const run = spawnSync(python as string, ['-c', DRIVER, path.join(root, 'cases.json')], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      results = JSON.parse(run.stdout) as Record<string, string | null>;
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  breakingCorpus.forEach((testCase, i) => {
    it(testCase.title, () => {
      const old = results[`${i}:old`];
      assert.equal(old, null, `the use fails against the old version:\n${old}`);
      if (testCase.title.includes('syntax error')) return; // the new version does not even import
      const now = results[`${i}:new`];
      assert.equal(now !== null, testCase.breaks.length > 0, now === null ? 'the use still works against the new version' : `the use fails against the new version:\n${now}`);
    });
  });
});
