import * as assert from 'node:assert/strict';
import type { GraphDocument, ImpactDocument } from '../../shared/impact';
import { ImpactRequest } from '../../shared/protocol';
import type { ReviewDocument } from '../../shared/review';
import { runCli, runCliJson } from '../helpers/cli';
import { cleanupRepos, commitAll, featureBranchRepo, makeRepo, makeTempDir, write } from '../helpers/gitRepo';
import { TestLspClient } from '../helpers/lspClient';

type ImpactJson = ImpactDocument & { graph: GraphDocument };

const TS_BEFORE = {
  'src/price.ts': 'export function price(n: number): number {\n  return n;\n}\n\nexport const VAT = 0.2;\n',
  'src/cart.ts': "import { price } from './price';\n\nexport const cart = (n: number) => price(n);\n",
  'src/types.ts': "import type { VAT } from './price';\nexport type Rate = typeof VAT;\n",
  'src/app.ts': "import { cart } from './cart';\nexport const app = () => cart(1);\n",
  'src/far.ts': "import { app } from './app';\nexport const far = app;\n",
  'test/app.test.ts': "import { far } from '../src/far';\nfar();\n",
  'README.md': '# shop\n',
};
const TS_AFTER = { 'src/price.ts': 'export function price(n: number, currency: string): number {\n  return n;\n}\n\nexport const VAT = 0.2;\n', 'README.md': '# shop!\n' };

describe('diffwise impact and diffwise graph (CLI on real repositories)', () => {
  after(cleanupRepos);

  it('prints the changed module and export, each dependent with its chain of imports, and the tests that reach it', () => {
    const repo = featureBranchRepo(TS_BEFORE, TS_AFTER);
    const { code, stdout } = runCli(repo, ['impact', '--base', 'main']);
    assert.equal(code, 0);
    assert.match(stdout, /^Changed \(1\):\n {2}src\/price\.ts \(modified\): price\n/);
    assert.match(stdout, /\n {2}src\/price\.ts → src\/cart\.ts\n/);
    assert.match(stdout, /\n {2}src\/price\.ts → src\/cart\.ts → src\/app\.ts → src\/far\.ts\n/);
    assert.match(stdout, /… more dependents further than 3 step/);
    assert.match(stdout, /Tests that reach the change \(1\):\n {2}test\/app\.test\.ts\n$/);
  });

  it('prints the impact as JSON with its graph, and only the tests with --tests', () => {
    const repo = featureBranchRepo(TS_BEFORE, TS_AFTER);
    const { code, json } = runCliJson<ImpactJson>(repo, ['impact', '--base', 'main', '--depth', '5', '--format', 'json']);
    assert.equal(code, 0);
    assert.equal(json.scope, 'branch');
    assert.equal(json.base, 'main');
    assert.deepEqual(json.changed, [{ file: 'src/price.ts', status: 'modified', symbols: ['price'], language: 'typescript' }]);
    assert.deepEqual(json.dependents.map((d) => [d.file, d.depth, d.test]), [
      ['src/cart.ts', 1, false], ['src/types.ts', 1, false], ['src/app.ts', 2, false], ['src/far.ts', 3, false], ['test/app.test.ts', 4, true],
    ]);
    assert.deepEqual(json.dependents.at(-1)!.path, ['src/price.ts', 'src/cart.ts', 'src/app.ts', 'src/far.ts', 'test/app.test.ts']);
    assert.equal(json.truncated, false);
    assert.deepEqual(json.tests, ['test/app.test.ts']);
    assert.ok(json.graph.nodes.some((n) => n.id === 'src/price.ts#price' && n.kind === 'symbol' && n.line === 1));
    assert.ok(json.graph.edges.some((e) => e.from === 'src/types.ts' && e.to === 'src/price.ts' && e.typeOnly));

    const tests = runCli(repo, ['impact', '--base', 'main', '--tests']);
    assert.equal(tests.stdout, 'test/app.test.ts\n');
  });

  it('sees working-tree and staged changes', () => {
    const repo = makeRepo();
    for (const [file, text] of Object.entries(TS_BEFORE)) write(repo, file, text);
    commitAll(repo, 'initial');
    write(repo, 'src/cart.ts', "import { price } from './price';\n\nexport const cart = (n: number) => price(n) + 1;\n");
    assert.deepEqual(runCliJson<ImpactJson>(repo, ['impact', '--format', 'json']).json.dependents.map((d) => d.file), ['src/app.ts', 'src/far.ts', 'test/app.test.ts']);
    assert.deepEqual(runCliJson<ImpactJson>(repo, ['impact', '--staged', '--format', 'json']).json.changed, []);
    assert.match(runCli(repo, ['impact', '--staged']).stdout, /No changed modules/);
  });

  it('prints the graph as json, dot and mermaid, around a change or one file', () => {
    const repo = featureBranchRepo(TS_BEFORE, TS_AFTER);
    const json = runCliJson<GraphDocument>(repo, ['graph', '--base', 'main', '--depth', '1']).json;
    assert.deepEqual(json.nodes.map((n) => n.id), ['src/price.ts', 'src/cart.ts', 'src/types.ts', 'src/price.ts#price']);
    const dot = runCli(repo, ['graph', '--base', 'main', '--format', 'dot']).stdout;
    assert.match(dot, /^digraph diffwise \{/);
    assert.match(dot, /"src\/cart.ts" -> "src\/price.ts";/);
    const mermaid = runCli(repo, ['graph', '--file', 'src/app.ts', '--depth', '1', '--format', 'mermaid']).stdout;
    assert.equal(mermaid.split('\n')[0], 'flowchart LR');
    assert.match(mermaid, /n\d\["src\/cart.ts"\]/);
    assert.match(mermaid, /n\d\["src\/far.ts"\]/);
    assert.doesNotMatch(mermaid, /price/);
  });

  it('says clearly what is wrong: an unknown file, a bad depth, a folder that is no repository', () => {
    const repo = featureBranchRepo(TS_BEFORE, TS_AFTER);
    const unknown = runCli(repo, ['graph', '--file', 'src/nope.ts']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^diffwise: src\/nope\.ts is not a file the index knows/);
    const depth = runCli(repo, ['impact', '--depth', 'two']);
    assert.equal(depth.code, 2);
    assert.match(depth.stderr, /--depth takes a whole number/);
    const base = runCli(repo, ['impact', '--base', 'no-such-ref']);
    assert.equal(base.code, 2);
    assert.match(base.stderr, /no-such-ref/);
    const outside = runCli(makeTempDir(), ['impact']);
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /not a git repository/);
  });

  it('puts the impact in the review JSON, with the call sites the change breaks', () => {
    const repo = featureBranchRepo(TS_BEFORE, TS_AFTER);
    const { json } = runCliJson<ReviewDocument>(repo, ['review', '--base', 'main', '--format', 'json', '--no-llm', '--fail-on', 'never']);
    assert.deepEqual(json.impact, { changed: 1, dependents: 4, brokenCallSites: 1, tests: ['test/app.test.ts'] });
  });

  it('follows Python, Go and Java imports, and finds their tests', () => {
    const repo = featureBranchRepo({
      'shop/__init__.py': '',
      'shop/pricing.py': 'def total(items):\n    return sum(items)\n',
      'shop/cart.py': 'from shop.pricing import total\n\n\ndef checkout(items):\n    return total(items)\n',
      'tests/test_cart.py': 'from shop.cart import checkout\n\n\ndef test_checkout():\n    assert checkout([1]) == 1\n',
      'go.mod': 'module example.com/store\n\ngo 1.21\n',
      'store/store.go': 'package store\n\nfunc Price() int {\n\treturn 1\n}\n',
      'cmd/app/main.go': 'package main\n\nimport "example.com/store/store"\n\nfunc main() {\n\t_ = store.Price()\n}\n',
      'cmd/app/main_test.go': 'package main\n\nimport (\n\t"testing"\n\n\t"example.com/store/store"\n)\n\nfunc TestPrice(t *testing.T) {\n\t_ = store.Price()\n}\n',
      'src/main/java/com/shop/Pricing.java': 'package com.shop;\n\npublic class Pricing {\n    public int total(int a) {\n        return a;\n    }\n}\n',
      'src/main/java/com/shop/app/Main.java': 'package com.shop.app;\n\nimport com.shop.Pricing;\n\npublic class Main {\n    int t = new Pricing().total(1);\n}\n',
      'src/test/java/com/shop/app/MainTest.java': 'package com.shop.app;\n\nimport com.shop.Pricing;\n\npublic class MainTest {\n    int t = new Pricing().total(2);\n}\n',
    }, {
      'shop/pricing.py': 'def total(items, tax=0):\n    return sum(items) + tax\n',
      'store/store.go': 'package store\n\nfunc Price() int {\n\treturn 2\n}\n',
      'src/main/java/com/shop/Pricing.java': 'package com.shop;\n\npublic class Pricing {\n    public int total(int a) {\n        return a + 1;\n    }\n}\n',
    });
    const { json } = runCliJson<ImpactJson>(repo, ['impact', '--base', 'main', '--format', 'json']);
    assert.deepEqual(json.changed.map((c) => [c.file, c.language, c.symbols]), [
      ['shop/pricing.py', 'python', ['total']], ['src/main/java/com/shop/Pricing.java', 'java', ['Pricing', 'Pricing.total']], ['store/store.go', 'go', ['Price']],
    ]);
    const dependents = json.dependents.map((d) => d.file);
    for (const file of ['shop/cart.py', 'tests/test_cart.py', 'cmd/app/main.go', 'cmd/app/main_test.go', 'src/main/java/com/shop/app/Main.java', 'src/test/java/com/shop/app/MainTest.java']) {
      assert.ok(dependents.includes(file), `${file} in ${dependents.join(', ')}`);
    }
    assert.deepEqual(json.tests, ['cmd/app/main_test.go', 'src/test/java/com/shop/app/MainTest.java', 'tests/test_cart.py']);
  });

  it('answers diffwise/impact over LSP from the index', async function () {
    this.timeout(60_000);
    const repo = featureBranchRepo(TS_BEFORE, TS_AFTER);
    const client = await TestLspClient.start(repo);
    try {
      await client.waitFor(() => client.statuses.some((s) => s.state === 'idle'), 'the first index');
      const impact = await client.connection.sendRequest(ImpactRequest.type, { scope: 'branch', base: 'main', depth: 1 });
      assert.deepEqual(impact.dependents.map((d) => d.file), ['src/cart.ts', 'src/types.ts']);
      assert.equal(impact.truncated, true);
      assert.deepEqual(impact.tests, ['test/app.test.ts']);
      assert.ok(impact.graph.nodes.some((n) => n.id === 'src/price.ts#price'));
      await assert.rejects(client.connection.sendRequest(ImpactRequest.type, { scope: 'branch', base: 'no-such-ref' }), /no-such-ref/);
      await assert.rejects(client.connection.sendRequest(ImpactRequest.type, { scope: 'working', depth: -1 }), /depth must be/);
    } finally {
      await client.stop().catch(() => client.process.kill());
    }
  });
});
