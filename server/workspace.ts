/**
 * The daemon's core for one repository: its git repository, its database, its
 * index and the review pipeline, wired together once. The CLI and the LSP server
 * are thin front ends over this class; it knows nothing of either.
 */
import type { Finding, ReviewDocument, ReviewRun } from '../shared/review';
import { GitRepository } from './git/repository';
import { WorkspaceIndexer, type IndexOptions, type IndexPassResult } from './index/indexer';
import { UsageFinder } from './index/usages';
import { computeMetrics, type Metrics } from './metrics/metrics';
import { anchorToWorkTree } from './review/anchoring';
import { review, type ReviewRequest } from './review/reviewer';
import type { StaticRule } from './review/rule';
import { STATIC_RULES } from './review/rules';
import { defaultDatabasePath, openDatabase, type Db } from './store/database';
import { IgnoreStore } from './store/ignoreStore';
import { IndexStore } from './store/indexStore';
import { RunStore, type RunDetails } from './store/runStore';

export interface WorkspaceOptions {
  /** Any folder inside the repository. */
  dir: string;
  /** Overrides the default `<git common dir>/diffwise/diffwise.db`. */
  dbPath?: string;
  /** One-line notices the user should see (a corrupt database set aside, a fallback taken). */
  onNotice?: (message: string) => void;
}

export class Workspace {
  private constructor(
    readonly repo: GitRepository,
    readonly dbPath: string,
    private readonly db: Db,
    readonly store: IndexStore,
    readonly indexer: WorkspaceIndexer,
    private readonly runs: RunStore,
    private readonly ignored: IgnoreStore,
    private readonly rules: readonly StaticRule[],
  ) {}

  static async open(options: WorkspaceOptions): Promise<Workspace> {
    const repo = await GitRepository.open(options.dir);
    const dbPath = options.dbPath ?? defaultDatabasePath(repo.commonDir);
    const db = openDatabase(dbPath, { onNotice: options.onNotice });
    const store = new IndexStore(db);
    const indexer = new WorkspaceIndexer({ root: repo.root, store, listWorkspaceFiles: () => repo.listWorkspaceFiles() });
    return new Workspace(repo, dbPath, db, store, indexer, new RunStore(db), new IgnoreStore(db), STATIC_RULES);
  }

  /** Brings the index up to date with the work tree. */
  index(options?: IndexOptions): Promise<IndexPassResult> {
    return this.indexer.indexWorkspace(options);
  }

  /** Stops reporting a finding (by id) in every later review, from any front end. */
  ignoreFinding(finding: Pick<Finding, 'id' | 'ruleId' | 'file' | 'message'>): void {
    this.ignored.ignore(finding);
  }

  /** Reviews one scope of changes; the index is refreshed first so that callers are current. */
  review(request: ReviewRequest): Promise<ReviewDocument> {
    // One finder per review: it caches parsed importers, which a later review must not see stale.
    const usages = new UsageFinder(this.repo.root, this.store, (extraPath) => this.indexer.resolverIncluding(extraPath));
    return review(
      {
        repo: this.repo,
        rules: this.rules,
        refreshIndex: (signal) => this.indexer.indexWorkspace({ signal }),
        workspace: { usagesOf: (file, symbol, previousPath) => usages.usagesOf(file, symbol, previousPath) },
        ignoredFindingIds: () => this.ignored.ignoredIds(),
        recordRun: (run: ReviewRun, findings: readonly Finding[], details: RunDetails) => this.runs.record(run, findings, details),
      },
      request,
    );
  }

  /** The review's findings on the work tree's lines (see anchoring.ts). */
  anchorToWorkTree(document: ReviewDocument): Promise<Finding[]> {
    return anchorToWorkTree(this.repo, document);
  }

  /** What the runs recorded since `since` (an ISO time; all when omitted) add up to. */
  metrics(since?: string): Metrics {
    return computeMetrics(this.runs.runsSince(since ?? ''));
  }

  close(): void {
    this.db.close();
  }
}
