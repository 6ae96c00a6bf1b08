/**
 * The team's votes in and out of a clone: before a review, the 👍/👎 reactions and replies
 * on the pull request's Diffwise comments are read from GitHub into the shared store, then
 * every vote the team cast on the repository (any pull request, any worker) is imported
 * into the clone's database, where learning applies them as it applies a developer's own.
 * Imported votes keep their ids (the store's record is deterministic per comment and
 * voter), so importing them again adds nothing.
 */
import type { GitHubOctokit } from '../../github/client';
import type { GitHubRepository } from '../../github/remote';
import { teamVotesOf } from '../../github/teamVotes';
import type { Logger } from '../../observability/logger';
import type { Workspace } from '../../workspace';
import type { ServiceStore } from '../store/serviceStore';
import { oneLine } from './jobFailures';

export interface TeamLearningArgs {
  store: ServiceStore;
  workspace: Workspace;
  octokit: GitHubOctokit;
  repository: GitHubRepository;
  number: number;
  log: Logger;
}

/** Returns how many votes were new to the clone. */
export async function importTeamVotes(args: TeamLearningArgs): Promise<number> {
  const { store, workspace, octokit, repository, number, log } = args;
  const fullName = `${repository.owner}/${repository.repo}`;
  // Reading the votes costs a sync with a GraphQL query, which octokit paces as a write (1 s):
  // skipped where the service has never published, so there are no comments of ours to vote on.
  // (Comments a CI job published count from the service's first publish on the pull request.)
  if (await publishedBefore(store, fullName, number)) {
    try {
      const votes = await teamVotesOf(octokit, repository, number, workspace.prStore);
      if (votes.length) await store.saveTeamVotes(fullName, votes);
    } catch (error) {
      // The votes are worth a review's learning, never the review itself: last time's are still in the store.
      log.warn({ error: oneLine(error) }, 'could not read the team\'s votes from GitHub');
    }
  }
  return workspace.importVotes(await store.teamVotes(fullName));
}

async function publishedBefore(store: ServiceStore, repository: string, number: number): Promise<boolean> {
  const { rowCount } = await store.pool.query("SELECT 1 FROM diffwise.reviews WHERE repository = $1 AND number = $2 AND status = 'published' LIMIT 1", [repository, number]);
  return (rowCount ?? 0) > 0;
}
