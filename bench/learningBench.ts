/**
 * Learning from votes, replayed: synthetic teams (a fixed seed, a known share of
 * false positives per rule) review a codebase round after round; findings stay
 * while their code is unchanged, code gets edited, LLM findings come back
 * reworded, new ones appear. A simulated user votes on some of what is shown
 * (with a few wrong votes). Each round goes through `applyLearning` with the votes
 * so far and is scored against the ground truth, by number of votes seen: the
 * share of repeated false positives suppressed, of true positives kept (and
 * demoted), and the time per call against a plain pass over the same findings.
 *
 * `generateStream` is pure (same seed, same stream), and so is the replay:
 * the numbers printed are the same on every run except the timings.
 */
import { LEARNING_DEFAULTS } from '../shared/feedback';
import type { Finding, RuleId, Severity } from '../shared/review';
import { fingerprint, type FingerprintedFinding } from '../server/learning/fingerprints';
import { applyLearning, currentVotes, ruleVerdicts, type StoredVote } from '../server/learning/policy';
import { findingSimilarity } from '../server/learning/similarity';
import { assignIds } from '../server/review/findingIds';
import type { RuleFinding } from '../server/review/rule';
import { createHash } from 'node:crypto';
import { median, row, type BenchResult } from './stats';

export const SEED = 20260601;
/** Independent teams (seeds derived from SEED), so that each bucket of votes has enough findings. */
const TEAMS = 6;
const PLAIN_PASS_REPEATS = 50;

export interface StreamOptions {
  rounds: number;
  files: number;
  /** New issues per review round: uniform in [min, max]. */
  newPerRound: [number, number];
  /** Per round: a real problem gets fixed; a false positive's code goes away. */
  resolveTp: number;
  resolveFp: number;
  /** Per round: the code a finding points at is edited slightly (new code fingerprint). */
  edit: number;
  /** When an LLM finding's code is edited, the LLM says it again in other words this often. */
  rewordOnEdit: number;
  /** Per round: the hunk changed elsewhere, the LLM is asked again and rewords the same finding on the same code. */
  reask: number;
  /** Share of the findings the user votes on, the first time each is shown. */
  voteShare: number;
  /** Share of votes that are wrong (down on a real problem, up on noise). */
  voteError: number;
}

export const STREAM_DEFAULTS: StreamOptions = {
  rounds: 120, files: 14, newPerRound: [3, 7], resolveTp: 0.3, resolveFp: 0.15, edit: 0.12, rewordOnEdit: 0.8, reask: 0.15, voteShare: 0.4, voteError: 0.05,
};

/** One kind of finding a rule (or LLM category) makes, with how often it is noise to this team. */
interface Kind {
  name: string;
  ruleId: RuleId;
  severity: Severity;
  /** The team's true false-positive rate for this kind. */
  fpRate: number;
  /** Relative frequency among new issues. */
  weight: number;
  code: (v: Names) => string[];
  /** Static rules: one wording; LLM kinds: paraphrases. */
  messages: Array<(v: Names) => string>;
  /** The rule's line-independent fingerprint (see RuleFinding); LLM findings use their code's hash. */
  ruleFingerprint?: (v: Names) => string;
  symbol?: (v: Names) => string;
  /** The names an edit may rename (they occur in the code). */
  editable: Array<keyof Names>;
}

interface Names {
  fn: string; noun: string; verb: string; a: string; b: string; c: string; d: string; x: string; y: string;
  map: string; key: string; field: string; field2: string; list: string; item: string; results: string; q: string; table: string; secret: string;
}

const VERBS = ['load', 'save', 'parse', 'build', 'render', 'fetch', 'update', 'compute', 'format', 'validate', 'resolve', 'merge', 'sync', 'apply', 'read', 'write'];
const NOUNS = ['User', 'Config', 'Order', 'Session', 'Token', 'Report', 'Invoice', 'Cache', 'Item', 'Path', 'Query', 'Event', 'Account', 'Payment', 'Batch', 'Profile'];
const PARAMS = ['user', 'config', 'order', 'session', 'token', 'retries', 'force', 'timeoutMs', 'dryRun', 'verbose', 'limit', 'offset', 'locale', 'strict', 'callback', 'signal'];
const FIELDS = ['name', 'total', 'status', 'owner', 'items', 'count', 'label', 'expiresAt', 'price', 'createdAt'];
const SUFFIXES = ['Next', 'Value', 'Ref', 'Input', 'Copy', 'Local', 'Raw'];
const AREAS = ['api', 'core', 'ui', 'store', 'jobs', 'auth', 'billing'];

const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** The synthetic team: what each rule reports and how much of it is noise here. */
export const KINDS: readonly Kind[] = [
  {
    name: 'console.log', ruleId: 'debug-leftover', severity: 'warning', fpRate: 0.9, weight: 3, editable: ['a'],
    code: (v) => [`console.log('${v.verb} ${lower(v.noun)}', ${v.a});`],
    messages: [() => "`console.log` call added: debug output left in the change. Remove it, or use the project's logger if the output is meant to stay."],
    ruleFingerprint: (v) => `console.log:console.log('${v.verb} ${lower(v.noun)}', ${v.a});`,
  },
  {
    name: 'required parameter', ruleId: 'breaking-change', severity: 'error', fpRate: 0.1, weight: 2, editable: ['a'],
    code: (v) => [`export function ${v.fn}(${v.a}: string, ${v.b}: ${v.noun}Options): Promise<${v.noun}> {`],
    messages: [(v) => `Breaking change: parameter \`${v.b}\` of \`${v.fn}\` is now required. 2 places in this workspace use it.`],
    ruleFingerprint: (v) => `${v.fn}\u0000parameter ${v.b} is now required`,
    symbol: (v) => v.fn,
  },
  {
    name: 'API key', ruleId: 'secret', severity: 'error', fpRate: 0.5, weight: 1, editable: ['x'],
    code: (v) => [`const ${v.x} = '${v.secret}';`],
    messages: [(v) => `API key (\`${v.secret.slice(0, 4)}…${v.secret.slice(-4)}\`) added. Load it from the environment or a secret store instead; if it was ever pushed, revoke it.`],
    ruleFingerprint: (v) => `sha256:${createHash('sha256').update(v.secret).digest('hex')}`,
  },
  {
    name: 'long parameter list', ruleId: 'llm/maintainability', severity: 'warning', fpRate: 0.9, weight: 1, editable: ['a', 'b', 'c', 'd'],
    code: (v) => [`export function ${v.fn}(${v.a}, ${v.b}, ${v.c}, ${v.d}) {`, `  return ${v.fn}Impl(${v.a}, ${v.b}, ${v.c}, ${v.d}, {});`],
    messages: [
      (v) => `\`${v.fn}\` takes four positional parameters; pass an options object instead.`,
      (v) => `Too many parameters in \`${v.fn}\` (${v.a}, ${v.b}, ${v.c}, ${v.d}): group them into one options object.`,
      (v) => `Consider replacing the positional parameters of \`${v.fn}\` with a single options object for readability.`,
    ],
  },
  {
    name: 'deep nesting', ruleId: 'llm/maintainability', severity: 'info', fpRate: 0.8, weight: 1, editable: ['a', 'b', 'c', 'd'],
    code: (v) => [`if (${v.a}) { if (${v.b}) { if (${v.c}) { ${v.fn}(${v.d}); } } }`, `else { ${v.fn}Fallback(${v.a}); }`],
    messages: [
      (v) => `Deeply nested conditionals on \`${v.a}\`, \`${v.b}\` and \`${v.c}\`; use early returns.`,
      (v) => `The nesting in this block makes the call to \`${v.fn}\` hard to follow; flatten it with guard clauses.`,
      (v) => `Three levels of \`if\` around \`${v.fn}(${v.d})\`: invert the conditions and return early.`,
    ],
  },
  {
    name: 'duplicated filter', ruleId: 'llm/maintainability', severity: 'warning', fpRate: 0.3, weight: 1, editable: ['x', 'y', 'map'],
    code: (v) => [`const ${v.x} = ${v.map}.filter((e) => e.${v.field} > 0).map((e) => e.${v.field2});`, `const ${v.y} = ${v.map}.filter((e) => e.${v.field} > 0).map((e) => e.id);`],
    messages: [
      (v) => `\`${v.x}\` and \`${v.y}\` repeat the same filter on \`${v.map}\`; compute it once.`,
      (v) => `Duplicated filtering of \`${v.map}\` by \`${v.field}\`: extract the filtered list into a variable.`,
      (v) => `The filter over \`${v.map}\` is written twice; reuse one filtered array for \`${v.x}\` and \`${v.y}\`.`,
    ],
  },
  {
    name: 'possibly undefined', ruleId: 'llm/bug', severity: 'error', fpRate: 0.2, weight: 1, editable: ['x', 'map', 'key'],
    code: (v) => [`const ${v.x} = ${v.map}.get(${v.key});`, `return ${v.x}.${v.field};`],
    messages: [
      (v) => `\`${v.x}\` may be undefined when \`${v.key}\` is not in \`${v.map}\`; check it before reading \`.${v.field}\`.`,
      (v) => `\`${v.map}.get(${v.key})\` can return undefined, so \`${v.x}.${v.field}\` may throw a TypeError.`,
      (v) => `Possible TypeError: \`${v.x}\` is undefined for a missing key and \`.${v.field}\` is read without a check.`,
    ],
  },
  {
    name: 'floating promise', ruleId: 'llm/bug', severity: 'warning', fpRate: 0.4, weight: 1, editable: ['a', 'x'],
    code: (v) => [`${v.fn}(${v.a});`, `${v.x}.done = true;`],
    messages: [
      (v) => `\`${v.fn}\` returns a promise that is not awaited; its errors go unhandled and \`${v.x}.done\` is set too early.`,
      (v) => `Missing \`await\` on \`${v.fn}(${v.a})\`: a rejection will be unhandled.`,
      (v) => `The promise from \`${v.fn}\` is dropped; await it or handle its rejection before marking \`${v.x}\` done.`,
    ],
  },
  {
    name: 'await in loop', ruleId: 'llm/performance', severity: 'warning', fpRate: 0.5, weight: 1, editable: ['item', 'list', 'results'],
    code: (v) => [`for (const ${v.item} of ${v.list}) {`, `  ${v.results}.push(await ${v.fn}(${v.item}.id));`],
    messages: [
      (v) => `\`await\` inside the loop over \`${v.list}\` runs the calls one after another; use Promise.all.`,
      (v) => `Sequential awaits in a loop over \`${v.list}\`: batch the \`${v.fn}\` calls with Promise.all.`,
      (v) => `Each iteration over \`${v.list}\` waits for \`${v.fn}\`; consider running them concurrently.`,
    ],
  },
  {
    name: 'SQL interpolation', ruleId: 'llm/security', severity: 'error', fpRate: 0.15, weight: 0.7, editable: ['q', 'key'],
    code: (v) => [`const ${v.q} = \`SELECT * FROM ${v.table} WHERE id = \${${v.key}}\`;`, `await db.query(${v.q});`],
    messages: [
      (v) => `SQL built by interpolating \`${v.key}\` into \`${v.q}\`: use a parameterised query.`,
      (v) => `\`${v.q}\` interpolates \`${v.key}\` into SQL, which is injectable; pass it as a query parameter.`,
      (v) => `Possible SQL injection: \`${v.key}\` goes into \`${v.q}\` unescaped.`,
    ],
  },
];

/** mulberry32: a small, fast, seedable PRNG (floats in [0, 1)). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One finding of one round with its ground truth. */
export interface SimFinding {
  item: FingerprintedFinding;
  /** The logical issue: the same across edits and rewordings. */
  issue: number;
  kind: string;
  falsePositive: boolean;
  /** What the user votes the first time this finding (this id) is shown; null: no vote. */
  intent: 'up' | 'down' | null;
}

export interface SimRound {
  findings: SimFinding[];
}

interface Issue {
  id: number;
  kind: Kind;
  file: number;
  falsePositive: boolean;
  names: Names;
  message: number;
  /** Filler lines above the issue's code in its file. */
  filler: string[];
  intent: 'up' | 'down' | null;
}

/** The stream of review rounds of one team: pure, the same for the same seed. */
export function generateStream(seed: number, options: StreamOptions = STREAM_DEFAULTS): SimRound[] {
  const random = mulberry32(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const chance = (p: number) => random() < p;
  const totalWeight = KINDS.reduce((sum, kind) => sum + kind.weight, 0);
  const pickKind = (): Kind => {
    let r = random() * totalWeight;
    for (const kind of KINDS) if ((r -= kind.weight) < 0) return kind;
    return KINDS[KINDS.length - 1];
  };
  const files = Array.from({ length: options.files }, (_, i) => `src/${AREAS[i % AREAS.length]}/${lower(NOUNS[i % NOUNS.length])}${i >= NOUNS.length ? i : ''}.ts`);
  const intent = (falsePositive: boolean): Issue['intent'] => {
    if (!chance(options.voteShare)) return null;
    const right = falsePositive ? 'down' : 'up';
    return chance(options.voteError) ? (right === 'down' ? 'up' : 'down') : right;
  };
  const names = (): Names => {
    const noun = pick(NOUNS);
    const verb = pick(VERBS);
    const params = [...PARAMS];
    for (let i = params.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [params[i], params[j]] = [params[j], params[i]];
    }
    return {
      fn: `${verb}${noun}`, noun, verb, a: params[0], b: params[1], c: params[2], d: params[3],
      x: `${lower(pick(NOUNS))}${pick(['', 'Entry', 'Result', 'Key'])}`, y: `${lower(pick(NOUNS))}${pick(['Ids', 'Names', 'List'])}`,
      map: `${lower(pick(NOUNS))}s${pick(['', 'ById', 'Index'])}`, key: `${lower(pick(NOUNS))}Id`, field: pick(FIELDS), field2: pick(FIELDS),
      list: `${lower(pick(NOUNS))}s`, item: lower(pick(NOUNS)), results: `${lower(pick(NOUNS))}Results`, q: `${lower(pick(NOUNS))}Sql`,
      table: `${lower(pick(NOUNS))}s`, secret: `sk_live_${Array.from({ length: 24 }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('')}`,
    };
  };
  let nextIssue = 0;
  let live: Issue[] = [];
  const rounds: SimRound[] = [];
  for (let r = 0; r < options.rounds; r++) {
    // What happened to the code since the last review.
    live = live.filter((issue) => !chance(issue.falsePositive ? options.resolveFp : options.resolveTp));
    for (const issue of live) {
      const llm = issue.kind.ruleId.startsWith('llm/');
      if (chance(options.edit)) {
        const role = pick(issue.kind.editable);
        const old = issue.names[role];
        issue.names = { ...issue.names, [role]: chance(0.5) ? `${old}${pick(SUFFIXES)}` : pick(PARAMS.filter((name) => name !== old)) };
        if (llm && chance(options.rewordOnEdit)) issue.message = otherMessage(issue, random);
        issue.intent = intent(issue.falsePositive);
      } else if (llm && chance(options.reask)) {
        issue.message = otherMessage(issue, random);
      }
    }
    const fresh = options.newPerRound[0] + Math.floor(random() * (options.newPerRound[1] - options.newPerRound[0] + 1));
    for (let i = 0; i < fresh; i++) {
      const kind = pickKind();
      const falsePositive = chance(kind.fpRate);
      live.push({
        id: nextIssue++, kind, file: Math.floor(random() * options.files), falsePositive, names: names(), message: Math.floor(random() * kind.messages.length),
        filler: Array.from({ length: 1 + Math.floor(random() * 4) }, (_, j) => `const ${lower(pick(NOUNS))}${nextIssue}_${j} = ${Math.floor(random() * 100)};`),
        intent: intent(falsePositive),
      });
    }
    rounds.push({ findings: reviewRound(live, files) });
  }
  return rounds;
}

function otherMessage(issue: Issue, random: () => number): number {
  const count = issue.kind.messages.length;
  return count < 2 ? issue.message : (issue.message + 1 + Math.floor(random() * (count - 1))) % count;
}

/** The findings a review of the codebase reports this round, with real ids (assignIds) and fingerprints (fingerprint). */
function reviewRound(live: readonly Issue[], files: readonly string[]): SimFinding[] {
  const placed: Array<{ issue: Issue; found: RuleFinding; text: () => string }> = [];
  for (const [index, file] of files.entries()) {
    const lines = [`// ${file}`, "import { db } from '../db';"];
    const here = live.filter((issue) => issue.file === index);
    const text = () => lines.join('\n');
    for (const issue of here) {
      lines.push(...issue.filler);
      const code = issue.kind.code(issue.names);
      const line = lines.length + 1;
      lines.push(...code);
      const { kind, names } = issue;
      const message = kind.messages[issue.message](names);
      placed.push({
        issue, text,
        found: {
          ruleId: kind.ruleId, severity: kind.severity, file, line, endLine: line + code.length - 1, message, suggestion: null,
          symbol: kind.symbol?.(names) ?? null,
          fingerprint: kind.ruleFingerprint?.(names) ?? createHash('sha256').update(code.map((l) => l.trim()).join('\n')).digest('hex').slice(0, 16),
        },
      });
    }
  }
  // assignIds orders by file, line and rule; order ours the same way so the two line up.
  placed.sort((p, q) => p.found.file.localeCompare(q.found.file) || p.found.line - q.found.line || p.found.ruleId.localeCompare(q.found.ruleId));
  const findings: Finding[] = assignIds(placed.map((p) => p.found));
  return placed.map(({ issue, text }, i) => ({
    item: fingerprint(findings[i], text()), issue: issue.id, kind: issue.kind.name, falsePositive: issue.falsePositive, intent: issue.intent,
  }));
}

/** Votes seen so far, in buckets. */
const BUCKETS: ReadonlyArray<[number, number]> = [[0, 10], [10, 25], [25, 50], [50, 100], [100, 200], [200, Infinity]];

interface Tally {
  rounds: number; findings: number;
  fp: number; fpSuppressed: number;
  repeatFp: number; repeatFpSuppressed: number;
  rejectedFp: number; rejectedFpSuppressed: number;
  rewordedFp: number; rewordedFpSuppressed: number;
  tp: number; tpSuppressed: number; tpSimilar: number; tpDemoted: number;
  micros: number[]; plainMicros: number[];
}

type Cause = 'vote' | 'similar' | 'rule';

function emptyTally(): Tally {
  return {
    rounds: 0, findings: 0, fp: 0, fpSuppressed: 0, repeatFp: 0, repeatFpSuppressed: 0, rejectedFp: 0, rejectedFpSuppressed: 0,
    rewordedFp: 0, rewordedFpSuppressed: 0, tp: 0, tpSuppressed: 0, tpSimilar: 0, tpDemoted: 0, micros: [], plainMicros: [],
  };
}

export interface Grid {
  title: string;
  header: string[];
  rows: string[][];
}

export interface LearningBenchResult {
  grids: Grid[];
  timings: BenchResult[];
}

/** Replays TEAMS streams through the policy; returns the tables to print and the timing rows. */
export function learningBench(): LearningBenchResult {
  const buckets = BUCKETS.map(emptyTally);
  const causes = { tp: { vote: 0, similar: 0, rule: 0 }, fp: { vote: 0, similar: 0, rule: 0 } } satisfies Record<string, Record<Cause, number>>;
  const finalActions = new Map<string, Map<string, number>>();
  const perRule = new Map<string, { tp: number; tpKept: number; fp: number; fpSuppressed: number }>();
  const truth = { fp: 0, all: 0 };
  let firstTeam: { votes: StoredVote[]; rounds: SimRound[] } | undefined;
  const allVotes: StoredVote[] = [];

  for (let team = 0; team < TEAMS; team++) {
    const rounds = generateStream(SEED + team);
    const votes: StoredVote[] = [];
    const decided = new Set<string>();
    const seen = new Set<number>();
    const rejected = new Set<number>();
    for (const [r, round] of rounds.entries()) {
      const items = round.findings.map((f) => f.item);
      const current = currentVotes(votes);
      const tally = buckets[BUCKETS.findIndex(([low, high]) => votes.length >= low && votes.length < high)];
      const started = performance.now();
      const outcome = applyLearning(items, current, LEARNING_DEFAULTS);
      tally.micros.push((performance.now() - started) * 1000);
      const plainStarted = performance.now();
      let plainCount = 0;
      for (let i = 0; i < PLAIN_PASS_REPEATS; i++) plainCount += items.map((item) => ({ ...item.finding })).length;
      tally.plainMicros.push(((performance.now() - plainStarted) * 1000) / PLAIN_PASS_REPEATS);
      if (plainCount !== items.length * PLAIN_PASS_REPEATS) throw new Error('plain pass lost findings');
      if (outcome.findings.length !== items.length) throw new Error('applyLearning lost findings');

      tally.rounds++;
      tally.findings += items.length;
      const votedCode = new Set(current.map((vote) => `${vote.ruleId}\u0000${vote.file}\u0000${vote.codeFingerprint}`));
      const votedIds = new Set(current.map((vote) => vote.findingId));
      for (const [i, sim] of round.findings.entries()) {
        const finding = outcome.findings[i];
        if (finding.id !== sim.item.finding.id) throw new Error('applyLearning reordered findings');
        const suppressed = finding.suppressed === true;
        // The policy's reasons: a vote at this code marks `vote: 'down'`; similarity starts "close (NN%) to…".
        const cause: Cause | null = !suppressed ? null : finding.vote === 'down' ? 'vote' : finding.learnedReason?.startsWith('close') ? 'similar' : 'rule';
        truth.all++;
        const ruleTally = perRule.get(finding.ruleId) ?? { tp: 0, tpKept: 0, fp: 0, fpSuppressed: 0 };
        perRule.set(finding.ruleId, ruleTally);
        if (sim.falsePositive) {
          ruleTally.fp++;
          if (suppressed) ruleTally.fpSuppressed++;
          truth.fp++;
          tally.fp++;
          if (suppressed) tally.fpSuppressed++;
          if (cause) causes.fp[cause]++;
          if (seen.has(sim.issue)) {
            tally.repeatFp++;
            if (suppressed) tally.repeatFpSuppressed++;
          }
          if (rejected.has(sim.issue)) {
            tally.rejectedFp++;
            if (suppressed) tally.rejectedFpSuppressed++;
            const exact = votedIds.has(finding.id) || votedCode.has(`${finding.ruleId}\u0000${finding.file}\u0000${sim.item.codeFingerprint}`);
            if (!exact && finding.source === 'llm') {
              tally.rewordedFp++;
              if (suppressed) tally.rewordedFpSuppressed++;
            }
          }
        } else {
          ruleTally.tp++;
          if (!suppressed) ruleTally.tpKept++;
          tally.tp++;
          if (suppressed) tally.tpSuppressed++;
          if (cause) causes.tp[cause]++;
          if (cause === 'similar') tally.tpSimilar++;
          if (finding.learned === 'demoted') tally.tpDemoted++;
        }
      }
      // The user reads what is shown and votes on some of it, the first time each finding is shown.
      for (const [i, sim] of round.findings.entries()) {
        if (outcome.findings[i].suppressed) continue;
        seen.add(sim.issue);
        const { finding, code, codeFingerprint, messageFingerprint } = sim.item;
        if (decided.has(finding.id)) continue;
        decided.add(finding.id);
        if (!sim.intent) continue;
        if (sim.intent === 'down') rejected.add(sim.issue);
        votes.push({
          id: `vote-${team}-${votes.length}`, findingId: finding.id, vote: sim.intent, reason: null, ruleId: finding.ruleId,
          category: finding.source === 'llm' ? finding.ruleId.slice('llm/'.length) : finding.ruleId, source: finding.source,
          severity: finding.severity, file: finding.file, line: finding.line, message: finding.message, code, codeFingerprint, messageFingerprint,
          createdAt: new Date(Date.UTC(2026, 0, 5) + (r * 1000 + votes.length) * 60_000).toISOString(), origin: 'local',
        });
      }
    }
    for (const verdict of ruleVerdicts(currentVotes(votes), LEARNING_DEFAULTS).values()) {
      const actions = finalActions.get(verdict.ruleId) ?? new Map<string, number>();
      actions.set(verdict.action ?? 'none', (actions.get(verdict.action ?? 'none') ?? 0) + 1);
      finalActions.set(verdict.ruleId, actions);
    }
    if (team === 0) firstTeam = { votes, rounds };
    allVotes.push(...votes);
  }

  // FP suppressed: every false positive; repeated: one whose issue was shown in an earlier round; voted-down: one
  // whose issue the user voted down before (at any version of it); reworded LLM: of those, LLM findings whose id
  // and code differ from every vote (only similarity or the rule's record can catch them); TP kept: not suppressed.
  const pct = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)}% of ${whole}` : '–');
  const byVotes: Grid = {
    title: `Learning by votes seen (${TEAMS} teams × ${STREAM_DEFAULTS.rounds} review rounds, seed ${SEED}; LEARNING_DEFAULTS)`,
    header: ['votes seen', 'rounds', 'findings', 'FP suppressed', 'repeated FP supp.', 'voted-down FP supp.', 'reworded LLM FP supp.', 'TP kept', 'TP demoted', 'TP hidden as similar', 'µs/call'],
    rows: BUCKETS.map(([low, high], i) => {
      const t = buckets[i];
      return [
        high === Infinity ? `${low}+` : `${low}–${high}`, String(t.rounds), String(t.findings), pct(t.fpSuppressed, t.fp), pct(t.repeatFpSuppressed, t.repeatFp),
        pct(t.rejectedFpSuppressed, t.rejectedFp), pct(t.rewordedFpSuppressed, t.rewordedFp), pct(t.tp - t.tpSuppressed, t.tp), pct(t.tpDemoted, t.tp), pct(t.tpSimilar, t.tp),
        t.micros.length ? median(t.micros).toFixed(0) : '–',
      ];
    }),
  };
  const suppressions: Grid = {
    title: 'Suppressions by cause, all rounds (vote: a vote at this code; similar: close to an LLM finding voted down; rule: the rule\'s record)',
    header: ['', 'vote', 'similar', 'rule'],
    rows: [
      ['false positives', String(causes.fp.vote), String(causes.fp.similar), String(causes.fp.rule)],
      ['true positives', String(causes.tp.vote), String(causes.tp.similar), String(causes.tp.rule)],
    ],
  };
  const ruleFp = new Map<string, { fp: number; weight: number }>();
  for (const kind of KINDS) {
    const entry = ruleFp.get(kind.ruleId) ?? { fp: 0, weight: 0 };
    ruleFp.set(kind.ruleId, { fp: entry.fp + kind.fpRate * kind.weight, weight: entry.weight + kind.weight });
  }
  const verdicts = ruleVerdicts(currentVotes(firstTeam?.votes ?? []), LEARNING_DEFAULTS);
  const rules: Grid = {
    title: `Per rule: true FP rate; team 1's final verdict (${firstTeam?.votes.length ?? 0} votes cast); final action in each of the ${TEAMS} teams; FP suppressed and TP kept over all rounds`,
    header: ['rule', 'true FP', 'up', 'down', 'accepted', 'Wilson 95%', 'action', 'all teams', 'FP suppressed', 'TP kept'],
    rows: [...ruleFp].map(([ruleId, { fp, weight }]) => {
      const verdict = verdicts.get(ruleId);
      const actions = [...(finalActions.get(ruleId) ?? new Map<string, number>())].sort().map(([action, count]) => `${action} ${count}`).join(', ');
      return [
        ruleId, `${((100 * fp) / weight).toFixed(0)}%`, String(verdict?.up ?? 0), String(verdict?.down ?? 0),
        verdict ? `${(verdict.acceptanceRate * 100).toFixed(0)}%` : '–', verdict ? `${(verdict.lowerBound * 100).toFixed(0)}–${(verdict.upperBound * 100).toFixed(0)}%` : '–',
        verdict?.action ?? 'none', actions, pct(perRule.get(ruleId)?.fpSuppressed ?? 0, perRule.get(ruleId)?.fp ?? 0),
        pct(perRule.get(ruleId)?.tpKept ?? 0, perRule.get(ruleId)?.tp ?? 0),
      ];
    }),
  };
  console.log(`learning replay: seed ${SEED}, ${TEAMS} teams, ${truth.all} findings shown to the policy, ${((100 * truth.fp) / truth.all).toFixed(1)}% of them false positives`);
  console.log(`  team's true FP rates: ${KINDS.map((kind) => `${kind.ruleId} (${kind.name}) ${(kind.fpRate * 100).toFixed(0)}%`).join(', ')}`);

  // Scale: the last round of team 1 against every team's votes at once.
  const lastItems = (firstTeam?.rounds.at(-1)?.findings ?? []).map((f) => f.item);
  const everyVote = currentVotes(allVotes);
  const scaled: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    applyLearning(lastItems, everyVote, LEARNING_DEFAULTS);
    scaled.push((performance.now() - started) * 1000);
  }
  const all = buckets.flatMap((t) => t.micros);
  const plain = median(buckets.flatMap((t) => t.plainMicros));
  const timing = (label: string, from: number, to: number): BenchResult[] => {
    const micros = buckets.filter((_, i) => BUCKETS[i][0] >= from && BUCKETS[i][1] <= to).flatMap((t) => t.micros);
    return micros.length ? [row(label, median(micros) / 1000, median(micros) / plain, `${median(micros).toFixed(0)} µs, ${micros.length} calls`)] : [];
  };
  return {
    grids: [byVotes, suppressions, rules, similarityGrid(firstTeam?.rounds ?? [])],
    timings: [
      row('plain pass (baseline)', plain / 1000, 1, `${plain.toFixed(1)} µs per round: copy each finding`),
      ...timing('applyLearning, < 50 votes', 0, 50),
      ...timing('applyLearning, 50–200 votes', 50, 200),
      ...timing('applyLearning, 200+ votes', 200, Infinity),
      row('applyLearning, all rounds', median(all) / 1000, median(all) / plain, `${median(all).toFixed(0)} µs, ${all.length} calls`),
      row(`applyLearning, ${everyVote.length} votes`, median(scaled) / 1000, median(scaled) / plain, `${median(scaled).toFixed(0)} µs: team 1's last round (${lastItems.length} findings) against all ${TEAMS} teams' votes`),
    ],
  };
}

/**
 * How alike (findingSimilarity) LLM findings are in team 1's stream, by how they
 * relate: what the similarity rule should catch (the same issue after its code
 * was edited) against what it should not (another issue, same complaint).
 */
function similarityGrid(rounds: readonly SimRound[]): Grid {
  const instances = new Map<number, Map<string, SimFinding>>();
  for (const round of rounds) {
    for (const sim of round.findings) {
      if (sim.item.finding.source !== 'llm') continue;
      const byVersion = instances.get(sim.issue) ?? new Map<string, SimFinding>();
      byVersion.set(`${sim.item.codeFingerprint}:${sim.item.messageFingerprint}`, sim);
      instances.set(sim.issue, byVersion);
    }
  }
  const score = (a: SimFinding, b: SimFinding) => findingSimilarity({ message: a.item.finding.message, code: a.item.code }, { message: b.item.finding.message, code: b.item.code });
  const classes: Array<[string, number[]]> = [
    ['same issue, code edited, reworded', []], ['same issue, code edited, same wording', []],
    ['other issue, same complaint (kind)', []], ['other issue, same rule, other kind', []],
  ];
  for (const versions of instances.values()) {
    const list = [...versions.values()];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        if (list[i].item.codeFingerprint === list[j].item.codeFingerprint) continue; // same code: the vote at this code decides
        classes[list[i].item.messageFingerprint === list[j].item.messageFingerprint ? 1 : 0][1].push(score(list[i], list[j]));
      }
    }
  }
  const first = [...instances.values()].map((versions) => versions.values().next().value as SimFinding);
  for (let i = 0; i < first.length; i++) {
    for (let j = i + 1; j < first.length; j++) {
      if (first[i].item.finding.ruleId !== first[j].item.finding.ruleId) continue;
      classes[first[i].kind === first[j].kind ? 2 : 3][1].push(score(first[i], first[j]));
    }
  }
  const threshold = LEARNING_DEFAULTS.similarity;
  const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    title: `Similarity of LLM findings in team 1's stream (findingSimilarity; the rule suppresses at >= ${threshold})`,
    header: ['pairs of findings', 'pairs', '10%', '25%', 'median', '75%', '90%', `>= ${threshold}`],
    rows: classes.map(([label, scores]) => {
      const sorted = [...scores].sort((a, b) => a - b);
      const at = (q: number) => (sorted.length ? quantile(sorted, q).toFixed(2) : '–');
      const over = sorted.filter((value) => value >= threshold).length;
      return [label, String(sorted.length), at(0.1), at(0.25), at(0.5), at(0.75), at(0.9), sorted.length ? `${((100 * over) / sorted.length).toFixed(1)}%` : '–'];
    }),
  };
}
