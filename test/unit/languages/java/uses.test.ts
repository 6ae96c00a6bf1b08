import * as assert from 'node:assert/strict';
import { javaAdapter } from '../../../../server/languages/java/adapter';
import type { ApiBreak } from '../../../../server/languages/model';
import type { StoredImport } from '../../../../server/store/indexStore';
import { freeTrees, lines, parseJava } from './parse';

const LIB = 'src/main/java/lib/Cart.java';

async function breaksBetween(before: string, after: string): Promise<ApiBreak[]> {
  return javaAdapter.compare(
    javaAdapter.readApi([await parseJava(LIB, before)]),
    javaAdapter.readApi([await parseJava(LIB, after)]),
  );
}

async function usesIn(text: string, broken: ApiBreak): Promise<number[]> {
  const dependent = await parseJava('src/main/java/app/Use.java', text);
  const imports: StoredImport[] = javaAdapter.extract(dependent).imports
    .filter((i) => i.specifier.startsWith('lib.'))
    .map((i, id) => ({ ...i, id, file: dependent.path, resolvedPath: LIB }));
  return javaAdapter.usesOf(dependent, imports, broken);
}

describe('java usesOf', () => {
  afterEach(freeTrees);

  it('calls of a removed method through the type, its variables and a static import; not same-named calls on other types', async () => {
    const [broken] = await breaksBetween(
      'package lib;\npublic class Cart { public int size() { return 0; } public static Cart empty() { return null; } }',
      'package lib;\npublic class Cart { public static Cart empty() { return null; } }',
    );
    assert.equal(`${broken.name}.${broken.member}`, 'Cart.size');
    const text = lines(
      'package app;',
      'import lib.Cart;',
      'import java.util.List;',
      'class Use {',
      '  int f(Cart cart, List<String> names) {',
      '    int n = names.size();',
      '    return cart.size() + Cart.empty().size() + n;',
      '  }',
      '  java.util.function.ToIntFunction<Cart> g() { return Cart::size; }',
      '}',
    );
    assert.deepEqual(await usesIn(text, broken), [7, 9]);
  });

  it('a removed type: its import and every reference', async () => {
    const [broken] = await breaksBetween('package lib;\npublic class Cart {}', 'package lib;\npublic class Basket {}');
    assert.deepEqual([broken.name, broken.member], ['Cart', null]);
    const text = lines('package app;', 'import lib.Cart;', 'class Use {', '  Cart c = new Cart();', '  void f() {}', '}');
    assert.deepEqual(await usesIn(text, broken), [2, 4]);
  });

  it('a removed constructor: `new`, `super(…)` and a subclass relying on the implicit super()', async () => {
    const breaks = await breaksBetween('package lib;\npublic class Cart { public Cart() {} }', 'package lib;\npublic class Cart { public Cart(int n) {} }');
    const broken = breaks.find((b) => b.member === '<init>')!;
    const text = lines(
      'package app;',
      'import lib.*;',
      'class Use {',
      '  Object c = new Cart();',
      '}',
      'class Sub extends Cart {',
      '  Sub() { super(); }',
      '}',
      'class Implicit extends Cart {}',
    );
    assert.deepEqual(await usesIn(text, broken), [4, 7, 9]);
  });

  it('implementers: the class that no longer defines a new abstract method, and overriders of a method made final', async () => {
    const [added] = await breaksBetween(
      'package lib;\npublic interface Cart { void add(); }',
      'package lib;\npublic interface Cart { void add(); void clear(); }',
    );
    assert.equal(added.affects, 'implementers');
    const text = lines(
      'package app;',
      'import lib.Cart;',
      'class Mine implements Cart {',
      '  public void add() {}',
      '}',
      'class Other { void clear() {} }',
    );
    assert.deepEqual(await usesIn(text, added), [3]);

    const [final] = await breaksBetween('package lib;\npublic class Cart { public void add() {} }', 'package lib;\npublic class Cart { public final void add() {} }');
    const sub = lines('package app;', 'import lib.Cart;', 'class Mine extends Cart {', '  @Override', '  public void add() {}', '}');
    assert.deepEqual(await usesIn(sub, final), [4]);
  });

  it('a removed enum constant in switch labels and qualified reads', async () => {
    const [broken] = await breaksBetween('package lib;\npublic enum Cart { FULL, EMPTY }', 'package lib;\npublic enum Cart { FULL }');
    const text = lines(
      'package app;',
      'import lib.Cart;',
      'class Use {',
      '  int f(Cart c) {',
      '    switch (c) { case EMPTY: return 0; default: return c == Cart.EMPTY ? 1 : 2; }',
      '  }',
      '}',
    );
    assert.deepEqual(await usesIn(text, broken), [5]);
  });

  it('nothing in a file that never names the type', async () => {
    const [broken] = await breaksBetween('package lib;\npublic class Cart { public int size() { return 0; } }', 'package lib;\npublic class Cart { }');
    assert.deepEqual(await usesIn(lines('package app;', 'class Use { int f(java.util.List<String> l) { return l.size(); } }'), broken), []);
  });
});
