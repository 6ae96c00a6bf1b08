/**
 * `diffwise impact` and `diffwise graph`: the index brought up to date, then the
 * impact use case (server/graph/impactUseCase.ts), printed.
 */
import type { Command } from './args';
import { fileGraph, formatGraph, impactOf } from '../graph/impactUseCase';
import { impactText } from '../report/impactText';
import type { Workspace } from '../workspace';

export async function runImpact(workspace: Workspace, command: Extract<Command, { name: 'impact' }>): Promise<number> {
  await workspace.index();
  const { graph, ...impact } = await impactOf(workspace, { scope: command.scope, base: command.base, depth: command.depth });
  if (command.tests) process.stdout.write(impact.tests.map((test) => `${test}\n`).join(''));
  else if (command.format === 'json') process.stdout.write(`${JSON.stringify({ ...impact, graph }, null, 2)}\n`);
  else process.stdout.write(impactText(impact));
  return 0;
}

export async function runGraph(workspace: Workspace, command: Extract<Command, { name: 'graph' }>): Promise<number> {
  await workspace.index();
  const file = command.file?.replace(/\\/g, '/').replace(/^\.\//, '');
  const document = file !== undefined
    ? fileGraph(workspace.store, file, command.depth)
    : (await impactOf(workspace, { scope: command.base !== undefined ? 'branch' : 'working', base: command.base, depth: command.depth })).graph;
  process.stdout.write(formatGraph(document, command.format));
  return 0;
}
