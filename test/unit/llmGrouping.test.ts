/**
 * Which hunks share an LLM prompt (server/llm/grouping.ts), on prompts made by
 * hand: only their file, size and file sections matter to the packing.
 */
import * as assert from 'node:assert/strict';
import { parseSource } from '../../server/index/languages';
import { buildHunkPrompt, estimateTokens, type ContextSources, type HunkPrompt } from '../../server/llm/context';
import { composePrompt, groupHunks, MAX_HUNKS_PER_PROMPT, promptTokens } from '../../server/llm/grouping';
import { changedFile } from '../helpers/changedFile';

let made = 0;

/** A hunk of `path` whose own part (lines and context) is about `own` tokens. */
function hunk(path: string, own: number, sections: { instructions?: string; preferences?: string } = {}): { prompt: HunkPrompt; id: string } {
  const id = `${path}#${++made}`;
  const instructions = sections.instructions ?? '';
  const preferences = sections.preferences ?? '';
  return {
    id,
    prompt: {
      path,
      status: 'modified',
      instructions,
      preferences,
      render: (label) => `## Hunk ${label} ${id}\n${'x'.repeat(own * 4)}`,
      tokens: { own, instructions: estimateTokens(instructions), preferences: estimateTokens(preferences) },
      contextHash: id,
      omitted: [],
      range: { first: 1, last: 3 },
    },
  };
}

const ids = (groups: Array<Array<{ id: string }>>) => groups.map((group) => group.map((item) => item.id));
const sizes = (groups: unknown[][]) => groups.map((group) => group.length);

describe('LLM prompt grouping', () => {
  it('puts the small hunks of one file in one prompt, in their order', () => {
    const items = [hunk('src/a.ts', 50), hunk('src/a.ts', 60), hunk('src/a.ts', 40)];
    const groups = groupHunks(items, 6000);
    assert.deepEqual(ids(groups), [items.map((item) => item.id)]);
  });

  it('packs hunks of several files while the prompt stays within the budget', () => {
    const items = Array.from({ length: 10 }, (_, i) => hunk(`src/file${i}.ts`, 100));
    const budget = 450;
    const groups = groupHunks(items, budget);
    assert.ok(groups.length >= 3 && groups.length <= 4, String(sizes(groups)));
    for (const group of groups) assert.ok(promptTokens(group.map((item) => item.prompt)) <= budget, String(sizes(groups)));
    assert.deepEqual(ids(groups).flat().sort(), items.map((item) => item.id).sort(), 'every hunk once');
  });

  it(`holds at most ${MAX_HUNKS_PER_PROMPT} hunks in a prompt, and spreads them evenly over as few prompts`, () => {
    const items = Array.from({ length: 20 }, (_, i) => hunk(`src/step${i}.ts`, 30));
    assert.deepEqual(sizes(groupHunks(items, 6000)), [7, 7, 6]);
    assert.deepEqual(sizes(groupHunks(items.slice(0, 8), 6000)), [8]);
    assert.deepEqual(sizes(groupHunks(items.slice(0, 9), 6000)), [5, 4]);
  });

  it('sends a hunk too big to share alone, and packs its neighbours', () => {
    const items = [hunk('src/a.ts', 40), hunk('src/big.ts', 5000), hunk('src/c.ts', 40), hunk('src/d.ts', 40)];
    const groups = groupHunks(items, 3000);
    assert.deepEqual(ids(groups), [[items[0].id, items[2].id, items[3].id], [items[1].id]]);
    const huge = hunk('src/huge.ts', 9000);
    assert.deepEqual(ids(groupHunks([huge, hunk('src/e.ts', 10)], 3000)).map((group) => group.length), [1, 1], 'over the budget on its own: alone, not dropped');
  });

  it('keeps one file\'s hunks together before mixing in other files', () => {
    const items = [hunk('src/a.ts', 100), hunk('src/b.ts', 100), hunk('src/b.ts', 100), hunk('src/c.ts', 100)];
    // All three do not fit: src/b.ts's two stay together, src/a.ts's joins src/c.ts's.
    const groups = groupHunks(items, 340);
    assert.deepEqual(ids(groups), [[items[0].id, items[3].id], [items[1].id, items[2].id]]);
  });

  it('groups the same hunks the same way every time', () => {
    const make = () => Array.from({ length: 30 }, (_, i) => ({ ...hunk(`src/f${i % 7}.ts`, 20 + ((i * 37) % 400)), id: `h${i}` }));
    assert.deepEqual(ids(groupHunks(make(), 1500)), ids(groupHunks(make(), 1500)));
  });

  it('counts the team instructions once when every file has the same, once per file when they differ', () => {
    const instructions = 'Prefer early returns. '.repeat(50);
    const same = [hunk('src/a.ts', 10, { instructions }), hunk('src/b.ts', 10, { instructions })].map((item) => item.prompt);
    const differ = [hunk('src/a.ts', 10, { instructions }), hunk('src/b.ts', 10, { instructions: `${instructions}!` })].map((item) => item.prompt);
    assert.ok(promptTokens(differ) - promptTokens(same) > estimateTokens(instructions) * 0.9);
    const shared = composePrompt(same).parts.join('\n\n');
    assert.equal(shared.split('Prefer early returns.').length - 1, 50, 'shown once');
    assert.match(shared, /^2 hunks to review[^]*\n\n# Team instructions\n/);
    const separate = composePrompt(differ).parts.join('\n\n');
    assert.match(separate, /# File: src\/a\.ts \(modified\)\n\n## Team instructions\n[^]*# File: src\/b\.ts \(modified\)\n\n## Team instructions\n/);
    // What the packing estimates is what is sent, give or take the rounding of each part.
    for (const prompts of [same, differ]) assert.ok(Math.abs(promptTokens(prompts) - estimateTokens(composePrompt(prompts).parts.join('\n\n'))) <= 10);
  });

  it('labels hunks in the order they are shown, by file, and keeps each hunk\'s own context', async () => {
    const sources: ContextSources = {
      importsIn: () => [], symbolsIn: () => [], usagesOf: async () => [], isExcluded: () => false, instructionsFor: () => '', preferencesFor: () => '',
    };
    const text = 'export function a(x: number): number {\n  return x + 1;\n}\n';
    const build = async (path: string) => {
      const file = changedFile(path, text, [2]);
      return buildHunkPrompt(file, file.diff.hunks[0], parseSource(path, text), [], sources, 6000);
    };
    // A second hunk of src/a.ts, after src/b.ts's in the list.
    const [a, b, a2] = [await build('src/a.ts'), await build('src/b.ts'), { ...(await build('src/a.ts')), range: { first: 5, last: 7 } }];
    const composed = composePrompt([a, b, a2]);
    assert.deepEqual(composed.labels, ['H1', 'H3', 'H2'], 'the two hunks of src/a.ts are shown together');
    const user = composed.parts.join('\n\n');
    assert.match(user, /^3 hunks to review; give each finding its hunk's label:\n- H1: src\/a\.ts, lines 1–3\n- H2: src\/a\.ts, lines 5–7\n- H3: src\/b\.ts, lines 1–3\n/);
    assert.match(user, /# File: src\/a\.ts \(modified\)\n\n## Hunk H1 [^]*### Enclosing declaration[^]*as hunk H1\.\n\n## Hunk H2 [^]*# File: src\/b\.ts \(modified\)\n\n## Hunk H3 [^]*as hunk H3\.$/);
  });
});
