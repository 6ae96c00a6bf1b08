/**
 * "Review related files together" end to end: the built CLI on a real git
 * repository whose branch changes a function's signature and, in another file,
 * its caller; a 127.0.0.1 OpenAI-compatible server records what the model is sent.
 */
import * as assert from 'node:assert/strict';
import type { ReviewDocument } from '../../shared/review';
import { runCliJsonAsync } from '../helpers/cli';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fakeOpenAi';
import { cleanupRepos, featureBranchRepo } from '../helpers/gitRepo';

const MODEL = 'review-model';

/** The part of the user message about `path`: from its heading to the next file's. */
function partOf(fake: FakeOpenAi, path: string): string {
  const message = fake.requests.map((request) => request.body.messages.map((m: { content: string }) => m.content).join('\n')).find((text) => text.includes(`# File: ${path} (`));
  assert.ok(message, `${path} was never sent`);
  return message.slice(message.indexOf(`# File: ${path} (`)).split(/\n\n(?=# File: )/)[0];
}

describe('LLM context: the definition and its callers of one change, together (fake OpenAI-compatible server)', function () {
  this.timeout(60_000);
  let fake: FakeOpenAi;

  beforeEach(async () => {
    fake = await startFakeOpenAi();
    fake.setDefault({ kind: 'success', content: JSON.stringify({ findings: [] }), usage: { prompt: 100, completion: 10 } });
  });
  afterEach(async () => {
    await fake.close();
  });
  after(cleanupRepos);

  it('shows each side of the change with the other: the caller with the new signature, the signature with the caller', async () => {
    const repo = featureBranchRepo({
      'src/pricing.ts': 'export function total(items: number[]): number {\n  return items.length;\n}\n',
      'src/cart.ts': "import { total } from './pricing';\n\nexport const checkout = () => total([1, 2]);\n",
      'src/other.ts': 'export const unrelated = 1;\n',
      '.diffwise/config.json': JSON.stringify({ llm: { timeoutMs: 3000, prices: { [MODEL]: { inputPerMTok: 1, outputPerMTok: 1 } } } }),
    }, {
      'src/pricing.ts': 'export function total(items: number[], taxRate: number): number {\n  return items.length * (1 + taxRate);\n}\n',
      'src/cart.ts': "import { total } from './pricing';\n\nexport const checkout = () => total([1, 2], 0.2);\n",
      'src/other.ts': 'export const unrelated = 2;\n',
    });
    const { json, stderr } = await runCliJsonAsync<ReviewDocument>(repo, ['review', '--base', 'main', '--format', 'json'], {
      DIFFWISE_LLM_BASE_URL: fake.baseUrl, DIFFWISE_LLM_API_KEY: 'sk-integration-0123456789abcdef', DIFFWISE_LLM_MODEL: MODEL,
    });
    assert.equal(json.run.status, 'ok', stderr);
    assert.ok(fake.requests.length >= 1);

    const pricing = partOf(fake, 'src/pricing.ts');
    assert.match(pricing, /### The same change also edits code that uses these exports\n- src\/cart\.ts \(lines 1–3, uses `total`\):/, pricing);
    assert.ok(pricing.includes('+ 3 | export const checkout = () => total([1, 2], 0.2);'), pricing);

    const cart = partOf(fake, 'src/cart.ts');
    assert.match(cart, /### The same change also edits what these lines use\n- src\/pricing\.ts \(lines 1–3, changes `total`\):/, cart);
    assert.ok(cart.includes('+ 1 | export function total(items: number[], taxRate: number): number {'), cart);

    // A file of the change that has nothing to do with either is not dragged in.
    assert.doesNotMatch(partOf(fake, 'src/other.ts'), /The same change also edits/);
    assert.doesNotMatch(pricing, /src\/other\.ts \(lines/);
  });
});
