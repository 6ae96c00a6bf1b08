/**
 * How exactly the breaking-change rule judges API changes: precision and recall
 * on the labelled corpus (test/unit/rules/breakingChangeCorpus.ts), whose
 * breaking labels each carry a witness the compiler confirms. Run alone with
 * `npm run bench compatibility`; `--misses` lists every case it gets wrong.
 */
import { breakingChangeRule } from '../server/review/rules/breakingChange';
import { modifiedFile } from '../test/helpers/changedFile';
import { CORPUS, type CorpusCase } from '../test/unit/rules/breakingChangeCorpus';

export interface AccuracyResult {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  precision: number;
  recall: number;
  /** Breaking cases found whose message does not match the case's `expect`. */
  unclearMessages: number;
  misses: Array<{ name: string; expected: boolean; messages: string[] }>;
  byKind: Map<string, { tp: number; fp: number; fn: number; tn: number }>;
}

/** `src/a.ts`, which the re-export cases pass names on from. */
const SIBLING_TEXT = 'export function helper(): void {}\nexport function other(): void {}\nexport function a(): void {}';
const SIBLING = modifiedFile('src/a.ts', SIBLING_TEXT, SIBLING_TEXT);

export async function judge(testCase: CorpusCase): Promise<string[]> {
  const file = modifiedFile('src/api.ts', testCase.oldText, testCase.newText);
  const findings = await breakingChangeRule.run({ files: [file], allFiles: [file, SIBLING], workspace: { usagesOf: async () => [] } });
  return findings.map((finding) => finding.message);
}

export async function compatibilityAccuracy(): Promise<AccuracyResult> {
  const result: AccuracyResult = { truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 0, precision: 0, recall: 0, unclearMessages: 0, misses: [], byKind: new Map() };
  for (const testCase of CORPUS) {
    const messages = await judge(testCase);
    const found = messages.length > 0;
    const kind = result.byKind.get(testCase.kind) ?? { tp: 0, fp: 0, fn: 0, tn: 0 };
    result.byKind.set(testCase.kind, kind);
    if (testCase.breaking && found) {
      result.truePositives++;
      kind.tp++;
      if (testCase.expect && !messages.some((m) => new RegExp(testCase.expect!, 'i').test(m))) result.unclearMessages++;
    } else if (testCase.breaking) {
      result.falseNegatives++;
      kind.fn++;
    } else if (found) {
      result.falsePositives++;
      kind.fp++;
    } else {
      result.trueNegatives++;
      kind.tn++;
    }
    if (found !== testCase.breaking) result.misses.push({ name: testCase.name, expected: testCase.breaking, messages });
  }
  result.precision = result.truePositives / Math.max(1, result.truePositives + result.falsePositives);
  result.recall = result.truePositives / Math.max(1, result.truePositives + result.falseNegatives);
  return result;
}

if (require.main === module) {
  void compatibilityAccuracy().then((result) => {
    console.log(`precision ${(result.precision * 100).toFixed(1)}%  recall ${(result.recall * 100).toFixed(1)}%  (tp ${result.truePositives}, fp ${result.falsePositives}, fn ${result.falseNegatives}, tn ${result.trueNegatives}; unclear messages ${result.unclearMessages})`);
    for (const [kind, counts] of result.byKind) console.log(`  ${kind.padEnd(16)} tp ${counts.tp} fp ${counts.fp} fn ${counts.fn} tn ${counts.tn}`);
    if (process.argv.includes('--misses')) {
      for (const miss of result.misses) console.log(`${miss.expected ? 'MISSED' : 'FALSE ALARM'}: ${miss.name}\n    ${miss.messages.join('\n    ')}`);
    }
  });
}
