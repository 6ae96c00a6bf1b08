/**
 * What the Review Branch picker lists, as plain data: no `vscode` import, so the
 * ordering and labelling rules are unit tested in plain Node (test/unit/extension/).
 * ./branchPicker.ts turns these entries into QuickPickItems.
 */

/** A branch as `git for-each-ref` names it: `refs/heads/…` is local, `refs/remotes/…` remote. */
export interface BranchRef {
  /** The short name a user types: `main`, `feature/login`, `origin/main`. */
  name: string;
  kind: 'local' | 'remote';
}

/** One row of the picker: a branch to pick, or a separator with a section title. */
export type BranchEntry =
  | { separator: true; label: string }
  | { separator?: false; ref: string; label: string; description: string };

export interface BranchChoices {
  refs: readonly BranchRef[];
  /** The checked-out branch (undefined when HEAD is detached): never its own base. */
  current?: string;
  /** `diffwise.review.defaultBase`, empty when unset: it is what the user asked to see first. */
  configured?: string;
  /** The base last reviewed against in this workspace (workspaceState). */
  lastUsed?: string;
}

/** When nothing was configured or remembered, the first of these that exists is offered first. */
const CONVENTIONAL_BASES = ['origin/main', 'origin/master', 'main', 'master'];

/**
 * Parses `git for-each-ref --format='%(refname)%09%(symref)' refs/heads refs/remotes`.
 * Full ref names are what tell a local `feature/x` from a remote `origin/x`; the
 * symbolic `origin/HEAD` is an alias of another remote branch, not a base of its own.
 */
export function parseBranchRefs(output: string): BranchRef[] {
  const refs: BranchRef[] = [];
  for (const line of output.split('\n')) {
    const [refname, symref] = line.trim().split('\t');
    if (!refname || symref) continue;
    if (refname.startsWith('refs/heads/')) refs.push({ name: refname.slice('refs/heads/'.length), kind: 'local' });
    else if (refname.startsWith('refs/remotes/')) refs.push({ name: refname.slice('refs/remotes/'.length), kind: 'remote' });
  }
  return refs;
}

const KIND_TEXT: Record<BranchRef['kind'], string> = { local: 'local branch', remote: 'remote branch' };
const KIND_ICON: Record<BranchRef['kind'], string> = { local: '$(git-branch)', remote: '$(cloud)' };

/**
 * The picker's rows: the suggested base first (configured, else last used, else a
 * conventional default) in its own section, then the local and the remote branches,
 * each section behind a titled separator. The current branch is left out throughout.
 */
export function branchEntries(choices: BranchChoices): BranchEntry[] {
  const offered = choices.refs.filter((ref) => !(ref.kind === 'local' && ref.name === choices.current));
  const kindOf = (name: string) => offered.find((ref) => ref.name === name)?.kind;
  const entry = (name: string, kind: BranchRef['kind'] | undefined, why?: string): BranchEntry => ({
    ref: name,
    label: `${kind ? KIND_ICON[kind] : '$(git-commit)'} ${name}`,
    description: [kind ? KIND_TEXT[kind] : 'ref', why].filter(Boolean).join(' · '),
  });

  const suggested = suggestedBase(choices, kindOf);
  const entries: BranchEntry[] = [];
  if (suggested) entries.push({ separator: true, label: 'Suggested' }, entry(suggested.name, kindOf(suggested.name), suggested.why));
  for (const kind of ['local', 'remote'] as const) {
    const rows = offered.filter((ref) => ref.kind === kind && ref.name !== suggested?.name);
    if (rows.length === 0) continue;
    entries.push({ separator: true, label: kind === 'local' ? 'Local branches' : 'Remote branches' });
    for (const ref of rows) entries.push(entry(ref.name, ref.kind));
  }
  return entries;
}

function suggestedBase(choices: BranchChoices, kindOf: (name: string) => BranchRef['kind'] | undefined): { name: string; why: string } | undefined {
  const isCurrent = (name: string) => name === choices.current;
  // A configured or remembered ref is offered even when it is no branch (a tag, a SHA typed before).
  const configured = choices.configured?.trim();
  if (configured && !isCurrent(configured)) return { name: configured, why: 'diffwise.review.defaultBase' };
  const lastUsed = choices.lastUsed?.trim();
  if (lastUsed && !isCurrent(lastUsed)) return { name: lastUsed, why: 'last used' };
  const conventional = CONVENTIONAL_BASES.find((name) => kindOf(name) !== undefined);
  return conventional ? { name: conventional, why: 'default' } : undefined;
}
