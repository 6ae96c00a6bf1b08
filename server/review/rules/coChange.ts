/**
 * The `co-change` rule: files that the history says change together with a
 * changed file, but that this change left alone — the test next to a module, the
 * schema next to its migration, the other half of a protocol. Information, not a
 * defect: the history can only say what usually happens.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuleContext, RuleFinding, StaticRule } from '../rule';

/** More suggestions per file than this would be noise; the most confident ones are kept. */
const MAX_PARTNERS_PER_FILE = 3;

export const coChangeRule: StaticRule = {
  id: 'co-change',
  description: 'Files that usually change together with a changed file (mined from git log) but that this change did not touch.',
  // Whether a partner was touched depends on the whole change, which a file's cached findings cannot know.
  wholeChange: true,
  async run(context: RuleContext): Promise<RuleFinding[]> {
    const partnersOf = context.workspace.coChangePartnersOf;
    if (!partnersOf) return [];
    const change = context.allFiles ?? context.files;
    const touched = new Set(change.flatMap((file) => [file.diff.oldPath, file.diff.newPath]).filter((p): p is string => p !== null));
    const root = context.workspace.root;
    const findings: RuleFinding[] = [];
    for (const file of context.files) {
      // A deleted file has no line to say it on, and no future to keep in step.
      if (file.newText === null || file.added.size === 0) continue;
      // Not Math.min(...added): a generated file adds more lines than the call stack takes arguments.
      let line = Infinity;
      for (const added of file.added) line = Math.min(line, added);
      const partners = (await partnersOf(file.path, context.head ?? null))
        .filter((partner) => !touched.has(partner.partner))
        // A partner since deleted or moved is history, not advice.
        .filter((partner) => root === undefined || fs.existsSync(path.join(root, partner.partner)))
        .slice(0, MAX_PARTNERS_PER_FILE);
      for (const partner of partners) {
        const share = Math.round(partner.confidence * 100);
        const commits = Math.round(partner.support / partner.confidence);
        findings.push({
          ruleId: 'co-change',
          severity: 'info',
          file: file.path,
          line,
          endLine: line,
          message: `\`${partner.partner}\` changed together with this file in ${partner.support} of its ${commits} commits (${share}%), but not in this change: does it need the same update?`,
          suggestion: null,
          related: [{ file: partner.partner, line: 1, message: `changes with ${file.path} (support ${partner.support}, confidence ${share}%)` }],
          fingerprint: `partner:${partner.partner}`,
        });
      }
    }
    return findings;
  },
};
