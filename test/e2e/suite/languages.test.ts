/**
 * Python and Java in a real VS Code: the extension activates for their files, and
 * a branch review's findings (breaking changes with their callers, debug
 * leftovers) arrive as diagnostics on their lines. The fixture is ../fixture.ts.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsOf, review, waitFor } from './helpers';

describe('Python and Java in VS Code', function () {
  this.timeout(120_000);

  it('activates on Python, Go and Java files as on TypeScript ones', () => {
    const extension = vscode.extensions.getExtension('diffwise.diffwise')!;
    const events = extension.packageJSON.activationEvents as string[];
    for (const language of ['python', 'go', 'java', 'typescript']) assert.ok(events.includes(`onLanguage:${language}`), language);
  });

  it('Review Branch: a Python parameter removed, with its caller, and a print left in', async () => {
    await review('diffwise.reviewBranch', 'main');
    const found = await waitFor('diagnostics on shop/pricing.py', () => (diagnosticsOf('shop/pricing.py').length >= 2 ? diagnosticsOf('shop/pricing.py') : undefined));
    const breaking = found.find((d) => d.code === 'breaking-change');
    assert.ok(breaking, JSON.stringify(found));
    assert.equal(breaking.range.start.line, 0);
    assert.equal(breaking.severity, vscode.DiagnosticSeverity.Error);
    assert.match(breaking.message, /tax/);
    const related = breaking.relatedInformation?.map((info) => [vscode.workspace.asRelativePath(info.location.uri), info.location.range.start.line]);
    assert.deepEqual(related, [['shop/cart.py', 4]]);
    const print = found.find((d) => d.code === 'debug-leftover');
    assert.equal(print?.range.start.line, 1);
  });

  it('Review Branch: a Java method that takes one more parameter, with its caller, and a printStackTrace', async () => {
    const found = await waitFor('diagnostics on Pricing.java', () => (diagnosticsOf('java/com/shop/Pricing.java').length >= 2 ? diagnosticsOf('java/com/shop/Pricing.java') : undefined));
    const breaking = found.find((d) => d.code === 'breaking-change');
    assert.ok(breaking, JSON.stringify(found));
    assert.equal(breaking.range.start.line, 3);
    const related = breaking.relatedInformation?.map((info) => [vscode.workspace.asRelativePath(info.location.uri), info.location.range.start.line]);
    assert.deepEqual(related, [['java/com/shop/Main.java', 4]]);
    assert.equal(found.find((d) => d.code === 'debug-leftover')?.range.start.line, 4);
  });
});
