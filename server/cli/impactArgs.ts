/**
 * The command line of `diffwise impact` and `diffwise graph` (args.ts parses the
 * rest). Kept free of the core: main.ts's bundle parses arguments before any of it loads.
 */
import type { ReviewScope } from '../../shared/review';
import type { CommonOptions } from './args';

export type GraphFormat = 'json' | 'dot' | 'mermaid';

const GRAPH_FORMATS: readonly GraphFormat[] = ['json', 'dot', 'mermaid'];
const IMPACT_FORMATS = ['text', 'json'] as const;

/** The options these two commands add to args.ts's `parseArgs` table. */
export const IMPACT_OPTIONS = {
  depth: { type: 'string' },
  tests: { type: 'boolean' },
  file: { type: 'string' },
} as const;

export const IMPACT_USAGE = `impact options:
  --working, --staged, --base REF
                      Which change, as for review (default --working)
  --depth N           Import steps to follow from the change (default 3; tests are followed further)
  --format FORMAT     text (default) or json
  --tests             Only the test files that reach the change, one per line (for xargs)

graph options:
  --base REF          The graph around the branch's change since REF (default: the working tree's change)
  --file PATH         The graph around one file instead: what it imports and who imports it
  --depth N           Import steps to follow (default 3)
  --format FORMAT     json (default), dot (Graphviz) or mermaid
`;

type Values = Record<string, string | boolean | undefined>;
type AllowOnly = (command: string, values: Record<string, unknown>, allowed: readonly string[]) => void;

export function parseImpact(values: Values, common: CommonOptions, allowOnly: AllowOnly) {
  allowOnly('impact', values, ['working', 'staged', 'base', 'depth', 'format', 'tests']);
  const chosen = [values.working && 'working', values.staged && 'staged', values.base !== undefined && 'base'].filter(Boolean);
  if (chosen.length > 1) throw usageError(`choose one of --working, --staged or --base (got --${chosen.join(' and --')})`);
  const base = baseOf(values);
  const format = (values.format ?? 'text') as (typeof IMPACT_FORMATS)[number];
  if (!IMPACT_FORMATS.includes(format)) throw usageError(`--format must be one of ${IMPACT_FORMATS.join(', ')} (got ${String(values.format)})`);
  if (values.tests && values.format !== undefined) throw usageError('--tests prints test paths one per line: it takes no --format');
  const scope: ReviewScope = base !== undefined ? 'branch' : values.staged ? 'staged' : 'working';
  return { name: 'impact' as const, scope, base, depth: depthOf(values), format, tests: Boolean(values.tests), ...common };
}

export function parseGraph(values: Values, common: CommonOptions, allowOnly: AllowOnly) {
  allowOnly('graph', values, ['base', 'file', 'depth', 'format']);
  const base = baseOf(values);
  if (base !== undefined && values.file !== undefined) throw usageError('choose one of --base REF or --file PATH');
  if (values.file !== undefined && !String(values.file).trim()) throw usageError('--file needs a path, for example --file src/app.ts');
  const format = (values.format ?? 'json') as GraphFormat;
  if (!GRAPH_FORMATS.includes(format)) throw usageError(`--format must be one of ${GRAPH_FORMATS.join(', ')} (got ${String(values.format)})`);
  return { name: 'graph' as const, base, file: values.file as string | undefined, depth: depthOf(values), format, ...common };
}

function baseOf(values: Values): string | undefined {
  if (values.base === '') throw usageError('--base needs a ref, for example --base origin/main');
  return values.base as string | undefined;
}

function depthOf(values: Values): number {
  if (values.depth === undefined) return 3;
  const text = String(values.depth).trim();
  if (!/^\d+$/.test(text)) throw usageError(`--depth takes a whole number of import steps, for example --depth 2 (got ${String(values.depth)})`);
  return Number(text);
}

/** UsageError by name: importing args.ts's class here would make the two files import each other at run time. */
function usageError(message: string): Error {
  const error = new Error(message);
  error.name = 'UsageError';
  return error;
}
