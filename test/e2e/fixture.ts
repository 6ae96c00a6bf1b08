/**
 * The workspace the extension-host suites and the UI check open: a real git
 * repository with one finding of each kind Diffwise looks for.
 *
 *   main:     src/api.ts    parse(input)
 *             src/main.ts   calls parse('a') on line 3
 *             src/scratch.ts harmless, so that its later edit is a tracked change
 *             shop/pricing.py    total(items, tax), called by shop/cart.py on line 5
 *             java/com/shop/Pricing.java  total(int, int), called by Main.java on line 5
 *   feature (checked out, committed):
 *             src/api.ts    parse(input, radix) - a new required parameter - and a console.log on line 2
 *             src/config.ts a GitHub token
 *             shop/pricing.py    total(items) - `tax` removed - and a print() on line 2
 *             java/com/shop/Pricing.java  total(int, int, int) and an e.printStackTrace() on line 5
 *   working tree (not committed):
 *             src/scratch.ts `debugger;` on line 1 (modified, not staged)
 *             src/staged.ts  `console.log("staged");` on line 1 (new, staged)
 *
 * Removed by `cleanupRepos()` from test/helpers/gitRepo.ts.
 */
import { commitAll, git, makeRepo, write } from '../helpers/gitRepo';

/** A GitHub-style token (ghp_ + 36 characters, the shape secretlint matches). Joined at run time so
 *  that no literal secret sits in this repository for a scanner or a push protection to flag. */
export const FIXTURE_TOKEN = ['ghp', '_', 'R8x2Lq', '9Vt4Kw', 'Zp7Nc3', 'Hy6Mb1', 'Jd5Gs0', 'Fa2Qe8'].join('');

/** Creates the fixture repository in a new temporary folder and returns its (real) path. */
export function createFixtureRepo(): string {
  const repo = makeRepo({ branch: 'main' });
  write(repo, 'src/api.ts', 'export function parse(input: string): number { return input.length; }\n');
  write(repo, 'src/main.ts', "import { parse } from './api';\n\nexport const n = parse('a');\n");
  write(repo, 'src/scratch.ts', 'export const scratch = 0;\n');
  // Python and Java (tree-sitter): a function and a method whose callers are in other files.
  write(repo, 'shop/pricing.py', 'def total(items, tax):\n    return sum(items) * (1 + tax)\n');
  write(repo, 'shop/cart.py', 'from shop.pricing import total\n\n\ndef checkout(items):\n    return total(items, 0.2)\n');
  write(repo, 'java/com/shop/Pricing.java', 'package com.shop;\n\npublic class Pricing {\n    public int total(int a, int b) {\n        return a + b;\n    }\n}\n');
  write(repo, 'java/com/shop/Main.java', 'package com.shop;\n\npublic class Main {\n    public static int run() {\n        return new Pricing().total(1, 2);\n    }\n}\n');
  commitAll(repo, 'main: parse(input)');

  git(repo, 'checkout', '--quiet', '-b', 'feature');
  write(repo, 'src/api.ts', [
    'export function parse(input: string, radix: number): number {',
    "  console.log('parse', input);",
    '  return parseInt(input, radix);',
    '}',
    '',
  ].join('\n'));
  write(repo, 'src/config.ts', `export const GITHUB_TOKEN = '${FIXTURE_TOKEN}';\n`);
  // `tax` removed (cart.py:5 passes it) and a print left in; a parameter added to a public Java method (Main.java:5 calls it).
  write(repo, 'shop/pricing.py', 'def total(items):\n    print("total", items)\n    return sum(items)\n');
  write(repo, 'java/com/shop/Pricing.java', 'package com.shop;\n\npublic class Pricing {\n    public int total(int a, int b, int c) {\n        e.printStackTrace();\n        return a + b + c;\n    }\n}\n');
  commitAll(repo, 'feature: parse takes a radix; config; total without tax');

  // Uncommitted: a tracked file edited (seen by `git diff` and `git status`), and a new staged file.
  write(repo, 'src/scratch.ts', 'debugger;\nexport const scratch = 0;\n');
  write(repo, 'src/staged.ts', 'console.log("staged");\n');
  git(repo, 'add', 'src/staged.ts');
  return repo;
}
