/**
 * The breaking-change rule judges a module the same whether the review compares
 * it alone (its neighbours' hunks came from the cache) or with every other
 * changed module: the probe budget, the libraries and the imports loaded are the
 * whole change's, not the compared few's (compatibility/moduleComparison.ts,
 * ComparisonScope). Without that, a cached review reported a break that the
 * uncached review of the same state did not (found replaying @tanstack/query-core).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { breakingChangeRule } from '../../../server/review/rules/breakingChange';
import type { ChangedFile } from '../../../server/review/rule';
import { modifiedFile as modified } from '../../helpers/changedFile';

async function judge(files: ChangedFile[], allFiles: ChangedFile[], root?: string): Promise<{ findings: string[]; notices: string[] }> {
  const notices: string[] = [];
  const findings = await breakingChangeRule.run({ files, allFiles, workspace: { usagesOf: async () => [], root }, notice: (message) => notices.push(message) });
  return { findings: findings.map((finding) => `${finding.file}:${finding.line} ${finding.message}`).sort(), notices: notices.sort() };
}

/** Only what `judge` says of `file`. */
function of(result: { findings: string[]; notices: string[] }, file: string) {
  return { findings: result.findings.filter((line) => line.startsWith(`${file}:`)), notices: result.notices.filter((line) => line.startsWith(`${file}:`)) };
}

describe('breaking-change: a module judged alone is judged as with the whole change', () => {
  it('its share of the probe budget is the whole change\'s, not the compared modules\'', async () => {
    // Enough exports to pass a small share (500 probes) but not a large one (5,000).
    // Every declaration changed (an unchanged one is only checked to exist), compatibly but for the last.
    const exports = (params: string) => Array.from({ length: 200 }, (_, i) => `export function f${i}(${params}): void {}`).join('\n');
    const large = modified('src/large.ts', exports('a: string'), exports('a: string, b?: number').replace('f199(a: string,', 'f199(a: number,'));
    const others = Array.from({ length: 15 }, (_, i) => modified(`src/m${i}.ts`, `export const v${i} = 1;`, `export const v${i} = 2;`));
    const all = [large, ...others];
    const together = of(await judge(all, all), 'src/large.ts');
    const alone = of(await judge([large], all), 'src/large.ts');
    assert.ok(together.notices.some((notice) => /only part of its exported API was compared/.test(notice)), `the test needs a partial comparison: ${JSON.stringify(together)}`);
    assert.deepEqual(alone, together);
    // And the rule says so for the cache's key: a change of the share is a change of the key.
    assert.notEqual(breakingChangeRule.changeKey!([large], undefined), breakingChangeRule.changeKey!(all, undefined));
  });

  it('the imports of the change\'s other modules are loaded as when they are compared', async () => {
    // api.ts's result type comes from y.ts through x.ts: two imports away, past the depth a compared
    // module's imports are followed, unless another changed module (b.ts) imports y.ts itself.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-scope-'));
    try {
      fs.mkdirSync(path.join(root, 'src'));
      fs.writeFileSync(path.join(root, 'src/y.ts'), 'export interface Shape { size: number }\n');
      fs.writeFileSync(path.join(root, 'src/x.ts'), "import type { Shape } from './y';\nexport type Wrap = Shape;\n");
      const api = modified('src/api.ts', "import type { Wrap } from './x';\nexport function make(): Wrap { return { size: 1 }; }\n", "export function make(): string { return ''; }\n");
      const b = modified('src/b.ts', "import type { Shape } from './y';\nexport const s: Shape = { size: 1 };\n", "import type { Shape } from './y';\nexport const s: Shape = { size: 2 };\n");
      for (const file of [api, b]) fs.writeFileSync(path.join(root, file.path), file.newText!);
      const together = of(await judge([api, b], [api, b], root), 'src/api.ts');
      const alone = of(await judge([api], [api, b], root), 'src/api.ts');
      assert.ok(together.findings.some((line) => /`make`/.test(line)), `the test needs a break the checker sees with y.ts loaded: ${JSON.stringify(together)}`);
      assert.deepEqual(alone, together);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
