import * as assert from 'node:assert/strict';
import { pythonAdapter } from '../../../../server/languages/python/adapter';
import { freeTrees, lines, parse } from './parse';

describe('python enclosingDeclaration', () => {
  after(freeTrees);

  it('the innermost function, method or class, decorators included', async () => {
    const text = lines('class C:', '    x = 1', '    @property', '    def m(self):', '        def inner():', '            return 1', '        return inner()', 'def f():', '    pass', 'y = 2');
    const file = await parse('m.py', text);
    assert.deepEqual(pythonAdapter.enclosingDeclaration(file, 6, 6), { name: 'C.m.inner', kind: 'function', startLine: 5, endLine: 6 });
    assert.deepEqual(pythonAdapter.enclosingDeclaration(file, 7, 7), { name: 'C.m', kind: 'method', startLine: 3, endLine: 7 });
    assert.deepEqual(pythonAdapter.enclosingDeclaration(file, 2, 4), { name: 'C', kind: 'class', startLine: 1, endLine: 7 });
    assert.deepEqual(pythonAdapter.enclosingDeclaration(file, 9, 9), { name: 'f', kind: 'function', startLine: 8, endLine: 9 });
    assert.equal(pythonAdapter.enclosingDeclaration(file, 10, 10), null);
  });
});
