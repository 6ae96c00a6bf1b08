import * as assert from 'node:assert/strict';
import { buildHunkPrompt, type ContextSources, type HunkPrompt } from '../../server/llm/context';
import { composePrompt } from '../../server/llm/grouping';
import { CHANGED_CALLERS, CHANGED_DEFINITIONS } from '../../server/llm/relatedContext';
import { syntaxTreeOf } from '../../server/review/syntaxTrees';
import type { StoredImport, StoredSymbol } from '../../server/store/indexStore';
import { changedFile } from '../helpers/changedFile';
import { noSources } from '../helpers/llmSources';

const userOf = (prompt: HunkPrompt) => composePrompt([prompt]).parts.join('\n\n');

// The definition: `total` gains a parameter; its caller, in the same change, passes it.
const PRICING = 'export function total(items: number[], tax: number): number {\n  return items.length * (1 + tax);\n}\n';
const CART = "import { total } from './pricing';\n\nexport const checkout = () => total([1, 2], 0.2);\n";
const UNRELATED = "import { total } from './pricing';\n\nexport const label = 'cart';\n";

/** A fake index over the two files: the cart imports `total`, the pricing module declares it. */
const sources: ContextSources = {
  ...noSources,
  importsIn: (path): StoredImport[] => (path === 'src/cart.ts' || path === 'src/label.ts'
    ? [{ id: 1, file: path, kind: 'import', specifier: './pricing', resolvedPath: 'src/pricing.ts', line: 1, typeOnly: false, namespace: null, defaultName: null, bindings: [{ imported: 'total', local: 'total' }] }]
    : []),
  symbolsIn: (path): StoredSymbol[] => (path === 'src/pricing.ts'
    ? [{ file: path, name: 'total', kind: 'function', exported: true, isDefault: false, startLine: 1, endLine: 3, signature: 'export function total(items: number[], tax: number): number' }]
    : []),
};

describe('LLM context: related files of the same change together', () => {
  const pricing = changedFile('src/pricing.ts', PRICING, [1, 2]);
  const cart = changedFile('src/cart.ts', CART, [3]);

  it('shows the changed callers with the hunk that changes the definition', async () => {
    const prompt = await buildHunkPrompt(pricing, pricing.diff.hunks[0], syntaxTreeOf(pricing, 'new') ?? undefined, [], sources, 6000, [pricing, cart]);
    const text = userOf(prompt);
    assert.match(text, new RegExp(`### ${CHANGED_CALLERS}\\n- src/cart.ts \\(lines 1–3, uses \`total\`\\):`));
    assert.ok(text.includes('+ 3 | export const checkout = () => total([1, 2], 0.2);'), text);
  });

  it('shows the changed definition with the hunk that calls it', async () => {
    const prompt = await buildHunkPrompt(cart, cart.diff.hunks[0], syntaxTreeOf(cart, 'new') ?? undefined, [], sources, 6000, [pricing, cart]);
    const text = userOf(prompt);
    assert.match(text, new RegExp(`### ${CHANGED_DEFINITIONS}\\n- src/pricing.ts \\(lines 1–3, changes \`total\`\\):`));
    assert.ok(text.includes('+ 1 | export function total(items: number[], tax: number): number {'), text);
  });

  it('leaves out a changed importer whose hunks do not mention the changed export', async () => {
    const label = changedFile('src/label.ts', UNRELATED, [3]);
    const prompt = await buildHunkPrompt(pricing, pricing.diff.hunks[0], syntaxTreeOf(pricing, 'new') ?? undefined, [], sources, 6000, [pricing, label]);
    assert.doesNotMatch(userOf(prompt), new RegExp(CHANGED_CALLERS));
  });

  it('names the other side in what was left out when the budget has no room for it', async () => {
    const prompt = await buildHunkPrompt(pricing, pricing.diff.hunks[0], syntaxTreeOf(pricing, 'new') ?? undefined, [], sources, 10, [pricing, cart]);
    assert.doesNotMatch(userOf(prompt), new RegExp(CHANGED_CALLERS));
    assert.ok(prompt.omitted.includes('the related change in src/cart.ts:1'), prompt.omitted.join(', '));
  });

  it('changes the hunk\'s cache key when the other side changes', async () => {
    const edited = changedFile('src/cart.ts', CART.replace('0.2', '0.3'), [3]);
    const first = await buildHunkPrompt(pricing, pricing.diff.hunks[0], syntaxTreeOf(pricing, 'new') ?? undefined, [], sources, 6000, [pricing, cart]);
    const second = await buildHunkPrompt(pricing, pricing.diff.hunks[0], syntaxTreeOf(pricing, 'new') ?? undefined, [], sources, 6000, [pricing, edited]);
    assert.notEqual(first.contextHash, second.contextHash);
  });
});
