/**
 * `npm run bench`: every benchmark, each printed as medians and as ratios against a
 * baseline measured in the same run (the machines are shared and noisy).
 */
import * as path from 'node:path';
import { cacheBench } from './cacheBench';
import { coChangeBench } from './coChangeBench';
import { compatibilityBench } from './compatibilityBench';
import { cycleBench } from './cycleBench';
import { graphAccuracyBench } from './graphAccuracy';
import { historyBench } from './historyBench';
import { impactBench } from './impactBench';
import { indexBench } from './indexBench';
import { languageBench } from './languageBench';
import { learningBench } from './learningBench';
import { llmBench } from './llmBench';
import { observabilityBench } from './observabilityBench';
import { reviewBench, targetsBench } from './reviewBench';
import { secretBench } from './secretBench';
import { startupBench } from './startupBench';
import { teamBench } from './teamBench';
import { printGrid, printTable } from './stats';

async function main(): Promise<void> {
  const projectRoot = path.resolve(__dirname, '..');
  const only = process.argv[2];
  const rest = process.argv.slice(3);
  if (!only || only === 'startup') printTable('Start-up, fresh processes (ratios against node -e 0)', startupBench(projectRoot));
  if (!only || only === 'index') printTable('Index (ratios against a bare ts.createSourceFile parse of the same files)', await indexBench(projectRoot));
  if (!only || only === 'languages') printTable('Python, Go and Java index (ratios against a bare tree-sitter parse of the same files)', await languageBench(projectRoot));
  if (!only || only === 'review') printTable('Review (ratios against git diff of the same range)', await reviewBench(projectRoot));
  if (!only || only === 'targets') {
    const targets = await targetsBench(projectRoot);
    for (const table of targets.tables) printTable(table.title, table.rows);
    for (const grid of targets.grids) printGrid(grid);
    for (const profile of targets.profiles) console.log(profile);
  }
  if (!only || only === 'llm') printTable('LLM reviewer, 20 hunks, an endpoint answering in 1 s (ratios against the same review with --no-llm)', await llmBench());
  if (!only || only === 'compatibility') printTable('Breaking changes by the type checker, a p90 pull request (ratios against the cold review of the same change)', await compatibilityBench(projectRoot));
  if (!only || only === 'cache') printTable('Review cache over a branch\'s life (ratios against the same reviews with the cache off)', await cacheBench(projectRoot));
  if (!only || only === 'history') printTable('Review cache over real histories written by others, npm releases one commit each (ratios against the same reviews with the cache off)', await historyBench(projectRoot, rest));
  if (!only || only === 'secrets') {
    const secrets = await secretBench(projectRoot);
    for (const grid of secrets.grids) printGrid(grid);
    printTable('Secret detection on real code (ratios against split + one token regex per line over the same text)', secrets.timings);
  }
  if (!only || only === 'graph-accuracy') {
    console.log('\nThe import graph against established analysers on real code (dependency-cruiser, Python\'s ast, go list): edges agreeing, |ours ∩ theirs| / |ours ∪ theirs|');
    await graphAccuracyBench(projectRoot, rest);
  }
  if (!only || only === 'impact') printTable('Impact of a change, 5,000 files, warm (ratios against a bare SQLite scan of the imports table)', await impactBench(projectRoot));
  if (!only || only === 'cycles') printTable('Import-cycle detection on random module graphs (each size against half of it: linear is 2x a doubling, quadratic 4x)', cycleBench());
  if (!only || only === 'co-change') await coChangeBench(projectRoot, rest);
  if (!only || only === 'observability') printTable('Watching a review: logs and traces, a p90 change in 5,000 files, cache and LLM off (ratios against the same review with both off)', await observabilityBench(projectRoot));
  if (!only || only === 'learning') {
    const learning = learningBench();
    for (const grid of learning.grids) printGrid(grid);
    printTable('Learning policy per review round (ratios against a plain pass over the same findings)', learning.timings);
  }
  if (!only || only === 'team') {
    const team = await teamBench(projectRoot);
    for (const grid of team.grids) printGrid(grid);
    for (const note of team.notes) console.log(`  ${note}`);
    for (const failure of team.failures) console.log(`  target missed: ${failure}`);
    // A duplicate or a lost review is a correctness failure, not a slow figure: the run fails.
    if (team.failures.length) process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
