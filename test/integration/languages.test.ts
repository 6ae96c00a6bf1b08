import * as assert from 'node:assert/strict';
import type { Finding, ReviewDocument } from '../../shared/review';
import { runCli, runCliJson } from '../helpers/cli';
import { cleanupRepos, commitAll, featureBranchRepo, git } from '../helpers/gitRepo';

/** A repository with `files` on main, then `changes` committed on `feature` : the branch's review. */
function reviewBranch(files: Record<string, string>, changes: Record<string, string>): ReviewDocument {
  const repo = featureBranchRepo(files, changes);
  const { json, stderr } = runCliJson<ReviewDocument>(repo, ['review', '--base', 'main', '--format', 'json', '--fail-on', 'never', '--no-llm']);
  assert.ok(json, stderr);
  return json;
}

const byRule = (document: ReviewDocument, rule: string): Finding[] => document.findings.filter((finding) => finding.ruleId === rule);
const places = (finding: Finding) => finding.related.map((r) => `${r.file}:${r.line}`);

describe('Python, Go and Java on real repositories (tree-sitter)', () => {
  after(cleanupRepos);

  it('a Python package (src layout): a parameter removed breaks the caller in another module, found through the package import', () => {
    const document = reviewBranch({
      'pyproject.toml': '[project]\nname = "shop"\n\n[tool.setuptools.packages.find]\nwhere = ["src"]\n',
      'src/shop/__init__.py': 'from .pricing import total\n',
      'src/shop/pricing.py': 'def total(items, tax=0.2, discount=0):\n    return sum(items) * (1 + tax) - discount\n\n\ndef _round(x):\n    return round(x, 2)\n',
      'src/shop/cart.py': 'from shop.pricing import total\n\n\ndef checkout(items):\n    return total(items, 0.1, 5)\n',
      'app/main.py': 'import shop.pricing as pricing\n\nprint(pricing.total([1, 2]))\n',
    }, {
      'src/shop/pricing.py': 'def total(items, tax=0.2):\n    return sum(items) * (1 + tax)\n\n\ndef _round(x, places=2):\n    return round(x, places)\n',
    });
    const found = byRule(document, 'breaking-change');
    assert.equal(found.length, 1, JSON.stringify(found, null, 1));
    assert.equal(found[0].file, 'src/shop/pricing.py');
    assert.equal(found[0].symbol, 'total');
    assert.equal(found[0].line, 1);
    assert.match(found[0].message, /discount/);
    assert.ok(places(found[0]).includes('src/shop/cart.py:5'), places(found[0]).join(', '));
    assert.equal(found[0].severity, 'error');
  });

  it('a Go module: a struct field retyped and a method added to an interface, with the callers and implementers in other packages', () => {
    const document = reviewBranch({
      'go.mod': 'module example.com/store\n\ngo 1.21\n',
      'store/store.go': 'package store\n\ntype Item struct {\n\tName  string\n\tPrice int\n}\n\ntype Saver interface {\n\tSave(item Item) error\n}\n',
      'store/helpers.go': 'package store\n\nfunc Total(items []Item) int {\n\tsum := 0\n\tfor _, item := range items {\n\t\tsum += item.Price\n\t}\n\treturn sum\n}\n',
      'cmd/app/main.go': 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/store/store"\n)\n\nfunc main() {\n\titem := store.Item{Name: "pen", Price: 2}\n\tfmt.Println(item.Price + 1)\n}\n',
    }, {
      'store/store.go': 'package store\n\ntype Item struct {\n\tName  string\n\tPrice float64\n}\n\ntype Saver interface {\n\tSave(item Item) error\n\tFlush() error\n}\n',
    });
    const found = byRule(document, 'breaking-change');
    const field = found.find((finding) => finding.symbol === 'Item.Price');
    assert.ok(field, JSON.stringify(found, null, 1));
    assert.equal(field.file, 'store/store.go');
    assert.ok(places(field).some((place) => place.startsWith('cmd/app/main.go:')), places(field).join(', '));
    assert.ok(found.some((finding) => finding.symbol?.startsWith('Saver')), 'the method added to the interface breaks its implementers');
    // fmt.Println in a main package is the program's output, not a leftover.
    assert.deepEqual(byRule(document, 'debug-leftover'), []);
  });

  it('a Maven project: a public method removed breaks the caller in another package; a new overload breaks nothing', () => {
    const document = reviewBranch({
      'pom.xml': '<project><modelVersion>4.0.0</modelVersion><groupId>x</groupId><artifactId>shop</artifactId><version>1</version></project>\n',
      'src/main/java/com/shop/Pricing.java': 'package com.shop;\n\npublic class Pricing {\n    public int total(int a, int b) {\n        return a + b;\n    }\n\n    public int twice(int a) {\n        return 2 * a;\n    }\n}\n',
      'src/main/java/com/shop/app/Main.java': 'package com.shop.app;\n\nimport com.shop.Pricing;\n\npublic class Main {\n    public static void main(String[] args) {\n        Pricing pricing = new Pricing();\n        int t = pricing.total(1, 2);\n    }\n}\n',
    }, {
      'src/main/java/com/shop/Pricing.java': 'package com.shop;\n\npublic class Pricing {\n    public int total(int a, int b, int c) {\n        return a + b + c;\n    }\n\n    public int twice(int a) {\n        return 2 * a;\n    }\n\n    public int twice(long a) {\n        System.out.println(a);\n        return (int) (2 * a);\n    }\n}\n',
    });
    const found = byRule(document, 'breaking-change');
    assert.equal(found.length, 1, JSON.stringify(found, null, 1));
    assert.equal(found[0].file, 'src/main/java/com/shop/Pricing.java');
    assert.match(found[0].symbol ?? '', /Pricing\.total/);
    assert.ok(places(found[0]).includes('src/main/java/com/shop/app/Main.java:8'), places(found[0]).join(', '));
    const leftovers = byRule(document, 'debug-leftover');
    assert.equal(leftovers.length, 1, JSON.stringify(leftovers));
    assert.equal(leftovers[0].line, 13);
    assert.equal(leftovers[0].suggestion, '', 'removing the line is offered');
  });

  it('a deleted Python module and a deleted Go package: their importers, which no longer resolve, are the places that break', () => {
    const repo = featureBranchRepo({
      'go.mod': 'module example.com/x\n\ngo 1.21\n',
      'util/util.go': 'package util\n\nfunc Double(n int) int { return 2 * n }\n',
      'cmd/main.go': 'package main\n\nimport "example.com/x/util"\n\nfunc main() { _ = util.Double(2) }\n',
      'shop/pricing.py': 'def total(items):\n    return sum(items)\n',
      'shop/cart.py': 'from shop.pricing import total\n\nprint(total([1]))\n',
    }, {});
    git(repo, 'rm', '-q', 'shop/pricing.py', 'util/util.go');
    commitAll(repo, 'delete them');
    const { json, stderr } = runCliJson<ReviewDocument>(repo, ['review', '--base', 'main', '--format', 'json', '--fail-on', 'never', '--no-llm']);
    assert.ok(json, stderr);
    const found = byRule(json, 'breaking-change');
    assert.deepEqual(found.map((finding) => [finding.symbol, places(finding)]).sort(), [['Double', ['cmd/main.go:5']], ['total', ['shop/cart.py:3']]], JSON.stringify(found, null, 1));
  });

  it('generated code and a syntax error: indexed, no false "removed", and the review says why it did not judge', () => {
    const document = reviewBranch({
      'gen/models.go': '// Code generated by protoc-gen-go. DO NOT EDIT.\n\npackage gen\n\nfunc Old() {}\n',
      'go.mod': 'module example.com/x\n\ngo 1.21\n',
      'lib/api.py': 'def parse(text):\n    return text\n\n\ndef render(tree):\n    return str(tree)\n',
    }, {
      'gen/models.go': '// Code generated by protoc-gen-go. DO NOT EDIT.\n\npackage gen\n\nfunc New() {}\n',
      'lib/api.py': 'def parse(text:\n    return text\n\n\ndef render(tree):\n    return str(tree)\n',
    });
    assert.deepEqual(byRule(document, 'breaking-change').map((finding) => finding.message), []);
    const skipped = document.run.skipped.find((entry) => entry.file === 'gen/models.go');
    assert.equal(skipped?.reason, 'generated');
  });

  it('`diffwise index` counts the files of every language', () => {
    const repo = featureBranchRepo({
      'a.py': 'def f():\n    pass\n',
      'go.mod': 'module example.com/x\n\ngo 1.21\n',
      'b/b.go': 'package b\n\nfunc B() {}\n',
      'C.java': 'public class C {}\n',
    }, {});
    const { stdout, stderr, code } = runCli(repo, ['index', '--json']);
    assert.equal(code, 0, stderr);
    const summary = JSON.parse(stdout) as { files: number; symbols: number; languages: Array<{ language: string; files: number }> };
    assert.equal(summary.files, 3);
    assert.ok(summary.symbols >= 3);
    assert.deepEqual(summary.languages.map(({ language, files }) => [language, files]), [['Go', 1], ['Java', 1], ['Python', 1]]);
  });
});
