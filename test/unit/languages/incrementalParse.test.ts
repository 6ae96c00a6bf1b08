import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { adapterFor, loadParsersFor, withParsedFile, withReparsedFile } from '../../../server/languages/registry';

/** A Python module with non-ASCII text (a surrogate pair too): the binding counts UTF-16 code units. */
const PYTHON = [
  'import os',
  'from .models import User  # café',
  '',
  'def greet(name, greeting="héllo 👋"):',
  '    return f"{greeting}, {name}"',
  '',
  'class Shop:',
  '    def total(self, items, tax=0.2):',
  '        return sum(items) * (1 + tax)',
  '',
].join('\n');

const SNIPPETS = ['x', '\n', 'def added(a, b):\n    return a\n', '    ', 'é', '👋', '):', 'class K:\n    pass\n', '#', '"'];

describe('incremental re-parsing of a file being edited', () => {
  before(() => loadParsersFor(['a.py']));

  it('gives what a full parse gives, after any sequence of edits (insertions and deletions anywhere, non-ASCII included)', () => {
    const adapter = adapterFor('shop.py')!;
    const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 12 }), insert: fc.constantFrom(...SNIPPETS) });
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => {
      let text = PYTHON;
      withReparsedFile(adapter, 'shop.py', text, () => undefined);
      for (const { at, remove, insert } of edits) {
        const start = at % (text.length + 1);
        text = text.slice(0, start) + insert + text.slice(Math.min(text.length, start + remove));
        const incremental = withReparsedFile(adapter, 'shop.py', text, (file) => ({ tree: file.tree.rootNode.toString(), extraction: adapter.extract(file) }));
        const full = withParsedFile(adapter, 'shop.py', text, (file) => ({ tree: file.tree.rootNode.toString(), extraction: adapter.extract(file) }));
        assert.deepEqual(incremental, full, JSON.stringify(text));
      }
    }), { numRuns: 60 });
  });
});
