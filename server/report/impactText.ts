/** `diffwise impact`'s text: what changed, who depends on it and through which imports, and the tests to run. */
import type { ImpactDocument } from '../../shared/impact';

export function impactText(impact: ImpactDocument): string {
  if (!impact.changed.length) return 'No changed modules: nothing in this change is a file the index reads.\n';
  const lines: string[] = [`Changed (${impact.changed.length}):`];
  for (const module of impact.changed) {
    const symbols = module.symbols.length ? `: ${module.symbols.join(', ')}` : '';
    lines.push(`  ${module.file} (${module.status})${symbols}`);
  }
  lines.push('', impact.dependents.length ? `Dependents within ${impact.depth} import step(s) (${impact.dependents.length}):` : `No dependents within ${impact.depth} import step(s).`);
  for (const dependent of impact.dependents) {
    const broken = dependent.brokenLines.length ? `  BROKEN at line ${dependent.brokenLines.join(', ')}` : '';
    lines.push(`  ${dependent.path.join(' → ')}${dependent.test ? '  (test)' : ''}${broken}`);
  }
  if (impact.truncated) lines.push(`  … more dependents further than ${impact.depth} step(s) (--depth N to see them)`);
  lines.push('', impact.tests.length ? `Tests that reach the change (${impact.tests.length}):` : 'No test reaches the change.');
  for (const test of impact.tests) lines.push(`  ${test}`);
  return `${lines.join('\n')}\n`;
}
