/** The editor's workspace trust: in an untrusted folder the extension turns off what sends code or tokens away. */
import type { HealthCheck } from '../../shared/observability';

/** Only asked in the editor (the request's `trusted`); the CLI has no such state. */
export function trustCheck(trusted: boolean): HealthCheck {
  if (trusted) return { id: 'trust', title: 'Workspace trust', status: 'ok', detail: 'trusted' };
  return { id: 'trust', title: 'Workspace trust', status: 'warning', detail: 'LLM and GitHub are off in this workspace (not trusted)', fix: 'trust the folder (Workspaces: Manage Workspace Trust) if you trust its code' };
}
