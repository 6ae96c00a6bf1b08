import * as assert from 'node:assert/strict';
import { goAdapter } from '../../../../server/languages/go/adapter';
import type { ApiBreak } from '../../../../server/languages/model';
import type { StoredImport } from '../../../../server/store/indexStore';
import { freeTrees, lines, parseGo } from './helpers';

const broken = (name: string, member: string | null, affects: ApiBreak['affects'] = 'callers'): ApiBreak => ({
  name, member, affects, message: '', at: { side: 'new', file: 'p/p.go', line: 1, endLine: 1 }, fingerprint: `x:${name}`,
});

function importRow(namespace: string | null, bindings: StoredImport['bindings'] = []): StoredImport {
  return { id: 1, file: 'main.go', kind: 'import', specifier: 'example.com/m/p', resolvedPath: 'p', line: 3, typeOnly: false, namespace, defaultName: null, bindings };
}

describe('Go uses of what broke', () => {
  afterEach(freeTrees);

  const caller = lines(
    'package main',
    '',
    'import pp "example.com/m/p"',
    '',
    'type impl struct{}',
    'func (impl) M() {}',
    'var _ pp.I = impl{}',
    '',
    'func main() {',
    '\tpp.F(1) // pp.F in a comment is not a use',
    '\tvar c pp.Client',
    '\tc.Send()',
    '\t_ = pp.Client{Name: "x"}',
    '\ts := "pp.F"',
    '\t_ = s',
    '\tF()',
    '}',
  );

  it('calls and type references through the import namespace', async () => {
    const file = await parseGo('main.go', caller);
    assert.deepEqual(goAdapter.usesOf(file, [importRow('pp')], broken('F', null)), [10]);
    assert.deepEqual(goAdapter.usesOf(file, [importRow('pp')], broken('Client', null)), [11, 13]);
  });

  it('members: selectors and literal keys in a file that names the type', async () => {
    const file = await parseGo('main.go', caller);
    assert.deepEqual(goAdapter.usesOf(file, [importRow('pp')], broken('Client', 'Send')), [12]);
    assert.deepEqual(goAdapter.usesOf(file, [importRow('pp')], broken('Client', 'Name')), [13]);
    assert.deepEqual(goAdapter.usesOf(file, [importRow('pp')], broken('Other', 'Send')), []);
  });

  it('implementers: methods of the same name and the lines that convert to the interface', async () => {
    const file = await parseGo('main.go', caller);
    assert.deepEqual(goAdapter.usesOf(file, [importRow('pp')], broken('I', 'M', 'implementers')), [6, 7]);
    assert.deepEqual(goAdapter.usesOf(file, [importRow('pp')], broken('I', 'N', 'implementers')), [7]);
  });

  it('bare names from another file of the package or through a dot import', async () => {
    const same = await parseGo('p/q.go', lines('package p', '', 'func g() int {', '\treturn F(2)', '}'));
    assert.deepEqual(goAdapter.usesOf(same, [], broken('F', null)), [4]);
    const dotted = await parseGo('main.go', caller);
    assert.deepEqual(goAdapter.usesOf(dotted, [importRow(null, [{ imported: '*', local: '*' }])], broken('F', null)), [16]);
  });
});
