import * as assert from 'node:assert/strict';
import { pythonAdapter } from '../../../../server/languages/python/adapter';
import type { StoredImport } from '../../../../server/store/indexStore';
import { freeTrees, lines, parse } from './parse';

/**
 * The adapter's pieces as the index and the rule chain them: a src/ layout package,
 * a break in one module, and its caller in another file found through the resolved rows.
 */
describe('python adapter, end to end', () => {
  after(freeTrees);

  it('a removed parameter in src/shop/cart.py, and the lines of app/checkout.py that still pass it', async () => {
    const files: Record<string, string> = {
      'pyproject.toml': '[tool.setuptools.packages.find]\nwhere = ["src"]\n',
      'src/shop/__init__.py': 'from .cart import total\n',
      'src/shop/cart.py': lines('def total(items, discount=0):', '    return sum(items) - discount'),
      'app/checkout.py': lines('from shop import cart', 'from shop.cart import total as t', '', 'def pay(items):', '    a = cart.total(items, discount=5)', '    return t(items, 5) + a'),
    };
    const resolver = pythonAdapter.createResolver({ paths: new Set(Object.keys(files)), readText: (p) => files[p] ?? null });
    const dependent = await parse('app/checkout.py', files['app/checkout.py']);
    const rows: StoredImport[] = pythonAdapter
      .extract(dependent)
      .imports.map((row, id) => ({ ...row, id, file: dependent.path, resolvedPath: resolver.resolve(dependent.path, row.specifier) }));
    assert.deepEqual(rows.map((r) => [r.specifier, r.resolvedPath]), [
      ['shop', 'src/shop/__init__.py'],
      ['shop.cart', 'src/shop/cart.py'],
      ['shop.cart', 'src/shop/cart.py'],
      ['shop.cart.total', null],
    ]);

    const before = pythonAdapter.readApi([await parse('src/shop/cart.py', files['src/shop/cart.py'])]);
    const after = pythonAdapter.readApi([await parse('src/shop/cart.py', lines('def total(items):', '    return sum(items)'))]);
    const breaks = pythonAdapter.compare(before, after);
    assert.deepEqual(breaks.map((b) => [b.name, b.member, b.affects, b.fingerprint]), [['total', null, 'callers', 'params:removed:discount:total']]);
    assert.equal(breaks[0].message, '`total` lost its parameter `discount`');

    const toCart = rows.filter((r) => pythonAdapter.importTargetsOf('src/shop/cart.py').includes(r.resolvedPath ?? ''));
    assert.deepEqual(pythonAdapter.usesOf(dependent, toCart, breaks[0]), [5, 6]);
  });
});
