import * as assert from 'node:assert/strict';
import { goAdapter } from '../../../../server/languages/go/adapter';
import { freeTrees, lines, parseGo } from './helpers';

describe('Go enclosing declarations', () => {
  afterEach(freeTrees);

  it('the innermost function, method or type, function literals belonging to their function', async () => {
    const file = await parseGo('p/a.go', lines(
      'package p',
      '',
      'type Client struct {',
      '\tName string',
      '}',
      '',
      'func (c *Client) Send() {',
      '\tgo func() {',
      '\t\tc.Name = ""',
      '\t}()',
      '}',
      '',
      'func Parse() {}',
      'type (',
      '\tID int',
      '\tI interface{ M() }',
      ')',
    ));
    assert.deepEqual(goAdapter.enclosingDeclaration(file, 4, 4), { name: 'Client', kind: 'struct', startLine: 3, endLine: 5 });
    assert.deepEqual(goAdapter.enclosingDeclaration(file, 9, 9), { name: 'Client.Send', kind: 'method', startLine: 7, endLine: 11 });
    assert.deepEqual(goAdapter.enclosingDeclaration(file, 13, 13), { name: 'Parse', kind: 'function', startLine: 13, endLine: 13 });
    assert.deepEqual(goAdapter.enclosingDeclaration(file, 16, 16), { name: 'I', kind: 'interface', startLine: 16, endLine: 16 });
    assert.equal(goAdapter.enclosingDeclaration(file, 12, 13), null);
  });
});
