import * as assert from 'node:assert/strict';
import type { ApiBreak } from '../../../../server/languages/model';
import { pythonAdapter } from '../../../../server/languages/python/adapter';
import type { StoredImport } from '../../../../server/store/indexStore';
import { freeTrees, lines, parse } from './parse';

/** The dependent's import rows that resolve to the broken module, as the index would store them. */
async function rowsTo(path: string, text: string, specifiers: string[]): Promise<StoredImport[]> {
  const { imports } = pythonAdapter.extract(await parse(path, text));
  return imports
    .filter((i) => specifiers.includes(i.specifier))
    .map((i, id) => ({ ...i, id, file: path, resolvedPath: 'lib/m.py' }));
}

const broken = (name: string, member: string | null, affects: ApiBreak['affects'] = 'callers'): ApiBreak => ({
  name,
  member,
  affects,
  message: '',
  at: { side: 'new', file: 'lib/m.py', line: 1, endLine: 1 },
  fingerprint: `x:${name}`,
});

describe('python usesOf', () => {
  after(freeTrees);

  it('from m import f [as g]: calls and references of the local name, not strings, comments or attributes', async () => {
    const text = lines('from lib.m import parse as p', 'x = p("a")', '# p("comment")', 's = "p(1)"', 'y = obj.p', 'handlers = [p]', 'def g(p=None): pass');
    const file = await parse('app.py', text);
    assert.deepEqual(pythonAdapter.usesOf(file, await rowsTo('app.py', text, ['lib.m']), broken('parse', null)), [2, 6]);
  });

  it('import m / import m as mm / from lib import m: attribute uses', async () => {
    const a = lines('import lib.m', 'lib.m.parse(1)', 'lib.m.other(1)');
    assert.deepEqual(pythonAdapter.usesOf(await parse('a.py', a), await rowsTo('a.py', a, ['lib.m']), broken('parse', null)), [2]);
    const b = lines('import lib.m as mm', 'mm.parse(1)');
    assert.deepEqual(pythonAdapter.usesOf(await parse('b.py', b), await rowsTo('b.py', b, ['lib.m']), broken('parse', null)), [2]);
    const c = lines('from lib import m', '', 'm.parse(1)');
    assert.deepEqual(pythonAdapter.usesOf(await parse('c.py', c), await rowsTo('c.py', c, ['lib.m']), broken('parse', null)), [3]);
  });

  it('from m import *: the bare name', async () => {
    const text = lines('from lib.m import *', 'parse(1)');
    assert.deepEqual(pythonAdapter.usesOf(await parse('s.py', text), await rowsTo('s.py', text, ['lib.m']), broken('parse', null)), [2]);
  });

  it('members: .member on lines of a file that uses the class; constructors: calls of the class', async () => {
    const text = lines('from lib.m import Client', 'c = Client(1)', 'c.send(2)', 'other.close()', 'Client.send(c, 3)');
    const rows = await rowsTo('d.py', text, ['lib.m']);
    const file = await parse('d.py', text);
    assert.deepEqual(pythonAdapter.usesOf(file, rows, broken('Client', 'send')), [3, 5]);
    assert.deepEqual(pythonAdapter.usesOf(file, rows, broken('Client', '__init__')), [2]);
    const unrelated = lines('from lib.m import parse', 'x.send(1)');
    assert.deepEqual(pythonAdapter.usesOf(await parse('e.py', unrelated), await rowsTo('e.py', unrelated, ['lib.m']), broken('Client', 'send')), []);
  });

  it('implementers: class X(Broken) and its overriding def', async () => {
    const text = lines('from lib import m', 'class Mine(m.Plugin):', '    def run(self):', '        pass', '    @property', '    def stop(self): pass', 'class Other:', '    def stop(self): pass');
    const rows = await rowsTo('p.py', text, ['lib.m']);
    const file = await parse('p.py', text);
    assert.deepEqual(pythonAdapter.usesOf(file, rows, broken('Plugin', 'stop', 'implementers')), [2, 5]);
    assert.deepEqual(pythonAdapter.usesOf(file, rows, broken('Plugin', null, 'both')), [2]);
  });
});
