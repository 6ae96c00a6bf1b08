/**
 * The contract between the review pipeline and each static rule. A rule sees the
 * changed files (both versions of their text and which lines were added) and,
 * through `workspace`, what the index knows; it returns findings without ids:
 * the pipeline derives stable ids from each finding's `fingerprint`.
 */
import type { RelatedLocation, RuleId, Severity, SkipReason, StaticRuleId } from '../../shared/review';
import type { DiffFile } from '../git/diffModel';
import type { LanguageIndex } from './compatibility/languageBreaks';
import type { ImportGraph } from '../graph/importGraph';
import type { ResolverIncluding } from '../graph/baseGraph';
import type { CoChangePartner } from '../history/coChangeModel';

/** A file of the change with the text of both versions loaded. */
export interface ChangedFile {
  diff: DiffFile;
  /** Repository-relative path in the reviewed version (the old path when deleted). */
  path: string;
  /** The reviewed version's text; null when deleted, binary, a submodule, unreadable or over even the line rules' size limit. */
  newText: string | null;
  /**
   * The text is over the size limit of the rules that parse (MAX_REVIEW_FILE_BYTES):
   * only the line rules (secrets, conflict markers) judge it; a rule that would
   * have parsed it calls `skip` instead.
   */
  tooLargeToParse?: boolean;
  /** The version before the change; null when added (or unreadable). */
  oldText: string | null;
  /** New-file line numbers that this change adds. */
  added: Set<number>;
}

/** What the index can answer about the rest of the workspace, for rules that look beyond the diff. */
export interface WorkspaceQueries {
  /**
   * Places that use `symbol` exported by `file` (repository-relative), following
   * named, default, namespace and re-exported imports. `symbol` is `default` for the default export.
   * `previousPath` is where the module was before a rename or deletion: imports
   * that still name that path are found too.
   */
  usagesOf(file: string, symbol: string, previousPath?: string): Promise<RelatedLocation[]>;
  /** The files (repository-relative) that import `file`, directly or through re-exports; `previousPath` as in usagesOf. */
  importersOf?(file: string, previousPath?: string): string[];
  /** Absolute path of the work tree, for rules that read what the changed files import; absent to read nothing. */
  root?: string;
  /** The index's import graph and the work tree's texts, for the languages tree-sitter parses; absent: their API is not compared. */
  index?: LanguageIndex;
  /** The index's module graph now, and a resolver that also sees a path the change removed (to build the base's graph); absent: no graph rules. */
  importGraph?: { current(): ImportGraph; resolverIncluding: ResolverIncluding };
  /**
   * The files that the history says change together with `file` (server/history/), as of
   * commit `head` (the review's HEAD, already resolved: no git process to ask again); absent: co-change is off.
   */
  coChangePartnersOf?(file: string, head: string | null): Promise<CoChangePartner[]>;
}

export interface RuleContext {
  /** The files to review (those whose findings are not in the cache). */
  files: ChangedFile[];
  /** Every file of the change, reviewed or cached: what the rest of the workspace now sees. */
  allFiles?: readonly ChangedFile[];
  workspace: WorkspaceQueries;
  /** The commit the change sits on (HEAD's sha as the diff read it); null before the first commit, absent outside a review. */
  head?: string | null;
  /** Tells the user something worth knowing about the run (one line, naming the file); not a failure. */
  notice?(message: string): void;
  /**
   * Says that this rule did not judge `file` and why (`detail`: one line, without
   * the path): the file is listed in `run.skipped`, the run is `partial`, and the
   * file is not cached, so the next review tries again.
   */
  skip?(file: string, reason: SkipReason, detail: string): void;
}

/** A finding as a rule (or the LLM reviewer, as `llm/<category>`) reports it, before the pipeline gives it an id. */
export interface RuleFinding {
  ruleId: RuleId;
  severity: Severity;
  file: string;
  line: number;
  endLine: number;
  /** 1-based UTF-16 column on `line` where the finding's code starts; absent (LLM findings): the whole lines. */
  column?: number;
  /** 1-based UTF-16 column on `endLine` just past the finding's code; present with `column`. */
  endColumn?: number;
  message: string;
  suggestion?: string | null;
  symbol?: string | null;
  related?: RelatedLocation[];
  /**
   * What identifies this finding independently of line numbers (for example the
   * symbol name, or the trimmed text of the offending line). Must never contain a
   * secret in clear.
   */
  fingerprint: string;
}

export interface StaticRule {
  id: StaticRuleId;
  /** One sentence for `--help`, SARIF and the docs. */
  description: string;
  /**
   * The rule builds a type-checked program (hundreds of milliseconds to seconds):
   * the LLM stage does not wait for it, but starts once the other rules are done.
   */
  typeChecked?: boolean;
  /**
   * What of the whole change, beyond a hunk's own file and what it imports, decides
   * this rule's findings on a hunk that touches an export (the review cache keys
   * such hunks with it). `root`: the work tree's absolute path. Omitted: nothing.
   */
  changeKey?(allFiles: readonly ChangedFile[], root: string | undefined): string;
  /**
   * A file's findings depend on which other files the change touches (not only on
   * its hunks): the rule judges every file of the change on every review, and its
   * findings are never kept in the review cache.
   */
  wholeChange?: boolean;
  run(context: RuleContext): Promise<RuleFinding[]>;
}
