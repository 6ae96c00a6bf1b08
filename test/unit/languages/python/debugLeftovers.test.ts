import * as assert from 'node:assert/strict';
import { pythonAdapter } from '../../../../server/languages/python/adapter';
import { freeTrees, lines, parse } from './parse';

const found = async (path: string, text: string) =>
  pythonAdapter.debugLeftovers(await parse(path, text)).map((d) => [d.kind, d.startLine, d.endLine, d.removable]);

describe('python debugLeftovers', () => {
  after(freeTrees);

  it('print, breakpoint and pdb/ipdb traces, removable when alone on their lines', async () => {
    const text = lines(
      'def f(x):',
      '    print("x is", x)',
      '    print(x)  # why',
      '    if x: print(x)',
      '    breakpoint()',
      '    import pdb; pdb.set_trace()',
      '    import ipdb',
      '    ipdb.set_trace()',
      '    y = print(x)',
      '    print(',
      '        x,',
      '    )',
      '    return x',
      's = "print(1)"',
    );
    assert.deepEqual(await found('lib/f.py', text), [
      ['print', 2, 2, true],
      ['print', 3, 3, false],
      ['print', 4, 4, false],
      ['breakpoint', 5, 5, true],
      ['import pdb', 6, 6, true],
      ['pdb.set_trace', 6, 6, true],
      ['import ipdb', 7, 7, true],
      ['ipdb.set_trace', 8, 8, true],
      ['print', 9, 9, false],
      ['print', 10, 12, true],
    ]);
  });

  it('a print that is its block’s only statement is not removable (the block would be empty)', async () => {
    assert.deepEqual(await found('lib/f.py', lines('def f(x):', '    print(x)')), [['print', 2, 2, false]]);
  });

  it('prints meant as output are not reported; breakpoints always are', async () => {
    const main = lines('def main():', '    return 0', 'if __name__ == "__main__":', '    print(main())', '    breakpoint()');
    assert.deepEqual(await found('lib/tool.py', main), [['breakpoint', 5, 5, true]]);
    for (const path of ['scripts/run.py', 'bin/tool.py', 'examples/demo.py', 'pkg/__main__.py']) {
      assert.deepEqual(await found(path, lines('print(1)', 'breakpoint()')), [['breakpoint', 2, 2, true]], path);
    }
    assert.deepEqual(await found('tool.py', lines('#!/usr/bin/env python3', 'print(1)')), []);
  });
});
