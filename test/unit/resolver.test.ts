import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ImportResolver, readPackageFacts } from '../../server/index/resolver';

describe('import resolver', () => {
  let root: string;
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  const files = [
    'src/a.ts', 'src/b/index.ts', 'src/c.tsx', 'src/esm.ts', 'src/legacy.js',
    'packages/core/src/index.ts', 'packages/core/src/util.ts', 'packages/web/src/app.ts',
    'lib/shared/thing.ts', 'tsconfig.base.json', 'tsconfig.json', 'packages/core/package.json', 'packages/web/tsconfig.json',
  ];

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-resolver-'));
    write('tsconfig.base.json', '{ // comments are allowed\n "compilerOptions": { "baseUrl": ".", "paths": { "@shared/*": ["lib/shared/*"], "~": ["src/a.ts"] } }, }');
    write('tsconfig.json', '{ "extends": "./tsconfig.base.json" }');
    write('packages/web/tsconfig.json', '{ "compilerOptions": { "paths": { "#app/*": ["./src/*"] } } }');
    write('packages/core/package.json', JSON.stringify({ name: '@acme/core', main: 'dist/index.js' }));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const resolver = () => new ImportResolver(root, new Set(files.filter((f) => /\.[jt]sx?$/.test(f))), files);

  it('resolves relative specifiers with extension and index probing, and .js naming .ts', () => {
    const r = resolver();
    assert.equal(r.resolve('src/x.ts', './a'), 'src/a.ts');
    assert.equal(r.resolve('src/x.ts', './b'), 'src/b/index.ts');
    assert.equal(r.resolve('src/x.ts', './c'), 'src/c.tsx');
    assert.equal(r.resolve('src/x.ts', './esm.js'), 'src/esm.ts');
    assert.equal(r.resolve('src/x.ts', './legacy.js'), 'src/legacy.js');
    assert.equal(r.resolve('src/b/index.ts', '../a'), 'src/a.ts');
    assert.equal(r.resolve('src/x.ts', './missing'), null);
    assert.equal(r.resolve('src/x.ts', '../../outside'), null);
  });

  it('resolves tsconfig paths and baseUrl through extends, nearest config first', () => {
    const r = resolver();
    assert.equal(r.resolve('src/x.ts', '@shared/thing'), 'lib/shared/thing.ts');
    assert.equal(r.resolve('src/x.ts', '~'), 'src/a.ts');
    assert.equal(r.resolve('src/x.ts', 'src/a'), 'src/a.ts');
    assert.equal(r.resolve('packages/web/src/app.ts', '#app/app'), 'packages/web/src/app.ts');
  });

  it('resolves workspace package names, mapping build output back to source', () => {
    const r = resolver();
    assert.equal(r.resolve('packages/web/src/app.ts', '@acme/core'), 'packages/core/src/index.ts');
    assert.equal(r.resolve('packages/web/src/app.ts', '@acme/core/util'), 'packages/core/src/util.ts');
    assert.equal(r.resolve('src/x.ts', 'react'), null);
    assert.equal(r.resolve('src/x.ts', 'node:fs'), null);
  });

  it('gives the same answers from package facts handed in, and memoized, as from reading every manifest', () => {
    const cases: Array<[string, string]> = [
      ['src/x.ts', './a'], ['src/x.ts', './b'], ['src/b/index.ts', '../a'], ['src/x.ts', '@shared/thing'], ['src/x.ts', 'src/a'],
      ['packages/web/src/app.ts', '#app/app'], ['packages/web/src/app.ts', '@acme/core'], ['packages/web/src/app.ts', '@acme/core/util'],
      ['packages/web/src/other.ts', '@acme/core/util'], ['src/y.ts', './a'], ['src/x.ts', 'react'], ['src/x.ts', 'node:fs'],
    ];
    const indexed = new Set(files.filter((f) => /\.[jt]sx?$/.test(f)));
    const facts = [['packages/core/package.json', readPackageFacts(root, 'packages/core/package.json')] as const];
    const configs = files.filter((f) => f.endsWith('tsconfig.json'));
    const fromDisk = resolver();
    const handedIn = new ImportResolver(root, indexed, configs, facts);
    const memoized = new ImportResolver(root, indexed, configs, facts, { memoize: true });
    for (const [importer, specifier] of [...cases, ...cases]) {
      const expected = fromDisk.resolve(importer, specifier);
      assert.equal(handedIn.resolve(importer, specifier), expected, `${importer} ${specifier}`);
      assert.equal(memoized.resolve(importer, specifier), expected, `${importer} ${specifier} (memoized)`);
    }
    assert.deepEqual(readPackageFacts(root, 'packages/core/package.json'), { name: '@acme/core', entries: ['dist/index.js'] });
  });

  it('resolves package.json subpath imports (#…) against the nearest package.json: exact keys, the longest * pattern, conditions, fallbacks, null', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-subpath-'));
    try {
      const put = (file: string, text = '') => {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
      };
      put('package.json', JSON.stringify({
        name: 'app',
        imports: {
          '#config': { types: './src/config.d.ts', node: './src/config.node.mjs', default: './src/config.mjs' },
          '#utl/*': './src/utl/*',
          '#utl/special/*.mjs': './src/special/*.mjs',
          '#fallback': ['./src/missing.mjs', './src/there.mjs'],
          '#blocked/*': null,
          '#pkg': '@acme/lib',
        },
      }));
      put('tools/package.json', JSON.stringify({ private: true }));
      put('libs/lib/package.json', JSON.stringify({ name: '@acme/lib', main: 'index.mjs' }));
      const sources = ['src/config.mjs', 'src/utl/bus.mjs', 'src/special/a.mjs', 'src/utl/special/a.mjs', 'src/there.mjs', 'src/blocked/x.mjs', 'src/main.mjs', 'tools/run.mjs', 'libs/lib/index.mjs'];
      for (const file of sources) put(file);
      const r = new ImportResolver(dir, new Set(sources), [...sources, 'package.json', 'tools/package.json', 'libs/lib/package.json']);
      assert.equal(r.resolve('src/main.mjs', '#config'), 'src/config.mjs', 'conditions in order, to a file that exists');
      assert.equal(r.resolve('src/main.mjs', '#utl/bus.mjs'), 'src/utl/bus.mjs');
      assert.equal(r.resolve('src/main.mjs', '#utl/special/a.mjs'), 'src/special/a.mjs', 'the longest prefix wins');
      assert.equal(r.resolve('src/main.mjs', '#fallback'), 'src/there.mjs');
      assert.equal(r.resolve('src/main.mjs', '#blocked/x.mjs'), null);
      assert.equal(r.resolve('src/main.mjs', '#pkg'), 'libs/lib/index.mjs', 'a bare target is a package');
      assert.equal(r.resolve('src/main.mjs', '#nothing'), null);
      // The nearest package.json decides, even without an imports field: Node looks no further.
      assert.equal(r.resolve('tools/run.mjs', '#utl/bus.mjs'), null);
      // The same from stored facts.
      const facts = ['package.json', 'tools/package.json', 'libs/lib/package.json'].map((file) => [file, readPackageFacts(dir, file)] as const);
      const stored = new ImportResolver(dir, new Set(sources), sources, facts, { memoize: true });
      assert.equal(stored.resolve('src/main.mjs', '#utl/bus.mjs'), 'src/utl/bus.mjs');
      assert.equal(stored.resolve('tools/run.mjs', '#utl/bus.mjs'), null);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a package.json that is not strict JSON (comments, a BOM) as the compiler would, and ignores one without a name', () => {
    write('packages/loose/package.json', '\ufeff{ // a comment\n "name": "loose", "main": "./lib/index.js", }');
    write('packages/nameless/package.json', '{ "main": "index.js" }');
    write('packages/broken/package.json', '{ "name": ');
    assert.deepEqual(readPackageFacts(root, 'packages/loose/package.json'), { name: 'loose', entries: ['lib/index.js'] });
    assert.equal(readPackageFacts(root, 'packages/nameless/package.json'), null);
    assert.equal(readPackageFacts(root, 'packages/broken/package.json'), null);
    assert.equal(readPackageFacts(root, 'packages/missing/package.json'), null);
  });
});
