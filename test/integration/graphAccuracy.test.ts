/**
 * The index's import graph against an established analyser's on code nobody here
 * wrote: semver as npm publishes it (CommonJS, `require('./x')` and
 * `require('../classes/semver')` across folders, folder index files), copied into a
 * real git repository, indexed by the real indexer and cruised by dependency-cruiser;
 * and dependency-cruiser's own source, which imports through package.json subpath imports.
 * The full set of code bases (TypeScript, ESM, declaration files, Python, Go) is
 * `npm run bench graph-accuracy`; docs/graph-accuracy.md explains each difference.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { measureGraphAccuracy, type DifferenceClass } from '../../bench/graphAccuracy';
import { cleanupRepos } from '../helpers/gitRepo';

/** Differences that are a choice of what counts as an edge, not a wrong resolution (docs/graph-accuracy.md). */
const EXPLAINED: ReadonlySet<DifferenceClass> = new Set<DifferenceClass>([
  'type-only import', 'export * from', 'dynamic import()', 'require in JS', '.d.ts vs .js', 'index file',
  'package self-reference', 'JSON module', 'import("…") type', 'Go build constraints',
]);

describe('the import graph against dependency-cruiser on real code', function () {
  this.timeout(120_000);
  after(cleanupRepos);

  it('semver (CommonJS): at least 98% of the edges agree, and every difference is in a known class', async () => {
    const projectRoot = path.resolve(__dirname, '../..');
    const report = await measureGraphAccuracy({ name: 'semver', source: path.join(projectRoot, 'node_modules/semver'), reference: 'dependency-cruiser' });
    const listing = report.differences.map((d) => `[${d.differenceClass}] ${d.side}: ${d.from} -> ${d.to} (${d.specifiers.join(', ')})`).join('\n');
    // A sanity floor: an analyser that silently found nothing (as dependency-cruiser 16 did with TypeScript 6) would "agree" on nothing.
    assert.ok(report.files >= 40 && report.theirs >= 100, `${report.files} files, ${report.theirs} reference edges`);
    assert.ok(report.agreement >= 0.98, `agreement ${(report.agreement * 100).toFixed(2)}% (${report.both} of ${report.ours} ours, ${report.theirs} theirs)\n${listing}`);
    const unexplained = report.differences.filter((d) => !EXPLAINED.has(d.differenceClass));
    assert.deepEqual(unexplained, [], listing);
  });

  it('dependency-cruiser (ESM .mjs importing through package.json subpath imports #…): at least 98% agree', async () => {
    const projectRoot = path.resolve(__dirname, '../..');
    const report = await measureGraphAccuracy({ name: 'dependency-cruiser', source: path.join(projectRoot, 'node_modules/dependency-cruiser'), reference: 'dependency-cruiser', skip: /^(node_modules|types)(\/|$)/ });
    const listing = report.differences.map((d) => `[${d.differenceClass}] ${d.side}: ${d.from} -> ${d.to} (${d.specifiers.join(', ')})`).join('\n');
    assert.ok(report.files >= 150 && report.theirs >= 300, `${report.files} files, ${report.theirs} reference edges`);
    assert.ok(report.agreement >= 0.98, `agreement ${(report.agreement * 100).toFixed(2)}% (${report.both} of ${report.ours} ours, ${report.theirs} theirs)\n${listing}`);
    assert.deepEqual(report.differences.filter((d) => !EXPLAINED.has(d.differenceClass)), [], listing);
  });
});
