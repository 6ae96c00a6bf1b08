/**
 * The two programs Diffwise runs on: Node (the engines field's major) and git (the
 * oldest version whose flags the GitRepository relies on, as its own error names it).
 */
import { execFile } from 'node:child_process';
import type { HealthCheck } from '../../shared/observability';

/** package.json's `engines.node` major: older Nodes lack APIs the bundles call (fs.statfsSync, fetch's AbortSignal.timeout). */
export const MIN_NODE_MAJOR = 20;
/** What server/git/repository.ts names when git is missing: `rev-parse --show-toplevel --git-common-dir` and `-M` as used there. */
export const MIN_GIT: readonly [number, number] = [2, 20];

export function nodeCheck(version: string = process.versions.node): HealthCheck {
  const major = Number(version.split('.')[0]);
  if (major >= MIN_NODE_MAJOR) return { id: 'node', title: 'Node', status: 'ok', detail: `Node ${version}` };
  return { id: 'node', title: 'Node', status: 'error', detail: `Node ${version} is older than ${MIN_NODE_MAJOR}`, fix: `install Node ${MIN_NODE_MAJOR} or later (https://nodejs.org)` };
}

/** `git --version` on PATH, as the GitRepository will find it. */
export async function gitCheck(env: NodeJS.ProcessEnv = process.env): Promise<HealthCheck> {
  const output = await new Promise<string | Error>((resolve) => {
    execFile('git', ['--version'], { env, timeout: 10_000 }, (error, stdout) => resolve(error ?? stdout));
  });
  if (output instanceof Error) {
    const missing = (output as NodeJS.ErrnoException).code === 'ENOENT';
    return {
      id: 'git', title: 'git', status: 'error',
      detail: missing ? 'git is not installed or not on PATH' : `git --version failed: ${output.message.split('\n')[0]}`,
      fix: `install git ${MIN_GIT.join('.')} or later and put it on PATH`,
    };
  }
  return gitVersionCheck(output);
}

/** Judges `git --version`'s output (`git version 2.43.0`, `git version 2.39.3 (Apple Git-145)`). */
export function gitVersionCheck(output: string): HealthCheck {
  const match = /git version (\d+)\.(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) return { id: 'git', title: 'git', status: 'warning', detail: `unrecognised git version: ${output.trim().slice(0, 80)}`, fix: `make sure git ${MIN_GIT.join('.')} or later is first on PATH` };
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const version = match[0].replace('git version ', '');
  if (major > MIN_GIT[0] || (major === MIN_GIT[0] && minor >= MIN_GIT[1])) return { id: 'git', title: 'git', status: 'ok', detail: `git ${version}` };
  return { id: 'git', title: 'git', status: 'error', detail: `git ${version} is older than ${MIN_GIT.join('.')}`, fix: `upgrade git to ${MIN_GIT.join('.')} or later` };
}
