/**
 * The commands in the real VS Code: every command package.json declares is registered (the
 * check vscode-pull-request-github runs as scripts/check-commands.js), the context keys the
 * palette's `when` clauses read flip as the state they describe changes (a key stored and
 * cleared, a GitHub remote added and removed, a review run), the actions menu offers what the
 * keys allow, and the Review Branch picker labels and orders the fixture's branches.
 * VS Code cannot read a context key back (`getContext` is not public): the values come from the
 * extension's API, and the clauses from the extension's own package.json.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import { actionItems } from '../../../extension/actionsMenu';
import type { ReviewDocument } from '../../../shared/review';
import { acceptingFirstItem, fixture, review, waitFor, type DiffwiseApi } from './helpers';

interface MenuItem { command?: string; when?: string }
interface Contributes {
  commands: Array<{ command: string; title: string }>;
  menus: Record<string, MenuItem[]>;
  keybindings: Array<{ command: string; key: string }>;
}

const extension = () => vscode.extensions.getExtension('diffwise.diffwise')!;
const contributes = () => extension().packageJSON.contributes as Contributes;
const git = (...args: string[]) => execFileSync('git', args, { cwd: fixture(), encoding: 'utf8' });

describe('Commands and their contexts', function () {
  this.timeout(120_000);
  let api: DiffwiseApi;

  before(async () => {
    api = (await extension().activate()) as DiffwiseApi;
  });

  it('registers every command package.json declares, and the daemon\'s LSP commands', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributes().commands.map((command) => command.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
    await waitFor('the LSP commands', async () => {
      const now = new Set(await vscode.commands.getCommands(true));
      return ['diffwise.voteFinding', 'diffwise.ignoreFinding', 'diffwise.unignoreFinding'].every((id) => now.has(id));
    });
    // Every keybinding and menu item names a registered command.
    const named = [...contributes().keybindings.map((binding) => binding.command), ...Object.values(contributes().menus).flat().flatMap((item) => (item.command ? [item.command] : []))];
    assert.deepEqual(named.filter((id) => !registered.has(id)), []);
  });

  it('the palette hides Clear LLM API Key without a key; the key flips with Set and Clear', async () => {
    const palette = new Map(contributes().menus.commandPalette.map((item) => [item.command, item.when]));
    assert.equal(palette.get('diffwise.clearLlmApiKey'), 'diffwise.llmKeySet');
    assert.equal(api.contextKeys()['diffwise.llmKeySet'], false);
    assert.ok(!actionItems(api.contextKeys()).some((item) => item.command === 'diffwise.clearLlmApiKey'));

    assert.equal(await vscode.commands.executeCommand('diffwise.setLlmApiKey', 'sk-e2e-context-key'), true);
    await waitFor('diffwise.llmKeySet to be set', () => api.contextKeys()['diffwise.llmKeySet']);
    assert.ok(actionItems(api.contextKeys()).some((item) => item.command === 'diffwise.clearLlmApiKey'));

    assert.equal(await vscode.commands.executeCommand('diffwise.clearLlmApiKey'), true);
    await waitFor('diffwise.llmKeySet to be cleared', () => !api.contextKeys()['diffwise.llmKeySet']);
    await waitFor('the daemon to run again', () => api.contextKeys()['diffwise.daemonRunning']);
  });

  it('the pull-request commands need a GitHub origin: the key follows `git remote add` and `remove`', async () => {
    const palette = new Map(contributes().menus.commandPalette.map((item) => [item.command, item.when]));
    for (const id of ['diffwise.syncPullRequestComments', 'diffwise.publishFindings', 'diffwise.signInToGitHub']) {
      assert.match(palette.get(id) ?? '', /\bdiffwise\.hasGitHubRemote\b/, id);
    }
    // The comment widget's commands never appear in the palette.
    for (const id of ['diffwise.replyToPrComment', 'diffwise.resolvePrThread', 'diffwise.prCommentHelpful', 'diffwise.prCommentNotHelpful']) assert.equal(palette.get(id), 'false', id);

    assert.equal(api.contextKeys()['diffwise.hasGitHubRemote'], false, 'the fixture starts without a remote');
    assert.ok(!actionItems(api.contextKeys()).some((item) => item.command === 'diffwise.syncPullRequestComments'));
    git('remote', 'add', 'origin', 'https://github.com/diffwise-e2e/fixture.git');
    try {
      await waitFor('diffwise.hasGitHubRemote to be set', () => api.contextKeys()['diffwise.hasGitHubRemote']);
      assert.ok(actionItems(api.contextKeys()).some((item) => item.command === 'diffwise.syncPullRequestComments'));
    } finally {
      git('remote', 'remove', 'origin');
    }
    await waitFor('diffwise.hasGitHubRemote to be cleared', () => !api.contextKeys()['diffwise.hasGitHubRemote']);

    // A remote that is not GitHub does not count.
    git('remote', 'add', 'origin', 'https://gitlab.example.com/group/fixture.git');
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(api.contextKeys()['diffwise.hasGitHubRemote'], false);
    } finally {
      git('remote', 'remove', 'origin');
    }
  });

  it('sets daemonRunning and, once there is a review, hasLastReview (which Unignore and Publish need)', async () => {
    await review('diffwise.reviewWorkingTree');
    await waitFor('diffwise.hasLastReview', () => api.contextKeys()['diffwise.hasLastReview']);
    assert.equal(api.contextKeys()['diffwise.daemonRunning'], true);
    const palette = new Map(contributes().menus.commandPalette.map((item) => [item.command, item.when]));
    assert.match(palette.get('diffwise.unignore') ?? '', /\bdiffwise\.hasLastReview\b/);
    assert.ok(actionItems(api.contextKeys()).some((item) => item.command === 'diffwise.unignore'));
  });

  it('Show Actions… (not "Show Commands") groups the actions with codicons, no emoji', () => {
    assert.equal(contributes().commands.find((command) => command.command === 'diffwise.showMenu')?.title, 'Show Actions…');
    const items = actionItems(api.contextKeys());
    const separators = items.filter((item) => item.kind === vscode.QuickPickItemKind.Separator).map((item) => item.label);
    assert.deepEqual(separators.slice(0, 2), ['Review', 'Feedback']);
    for (const item of items.filter((candidate) => candidate.kind !== vscode.QuickPickItemKind.Separator)) {
      assert.match(item.label, /^\$\([a-z-]+\) \S/, item.label);
      assert.doesNotMatch(item.label, /\p{Extended_Pictographic}/u);
    }
  });

  it('binds the review commands to ctrl+alt+d chords', () => {
    const keys = new Map(contributes().keybindings.map((binding) => [binding.command, binding.key]));
    assert.equal(keys.get('diffwise.reviewWorkingTree'), 'ctrl+alt+d w');
    assert.equal(keys.get('diffwise.reviewStaged'), 'ctrl+alt+d s');
    assert.equal(keys.get('diffwise.reviewBranch'), 'ctrl+alt+d b');
  });

  it('Review Branch… labels local and remote branches, leaves the current one out, and offers the remembered base first', async () => {
    // The fixture: main and feature (checked out); a remote branch added for the labels.
    git('update-ref', 'refs/remotes/upstream/main', 'main');
    try {
      const items = await api.branchPickerItems();
      const rows = items.map((item) => (item.kind === vscode.QuickPickItemKind.Separator ? `--- ${item.label}` : `${item.label} (${item.description})`));
      assert.equal(rows[0], '--- Suggested', rows.join('\n'));
      // review.test.ts reviewed the branch against main before: remembered.
      assert.match(rows[1], /^\$\(git-branch\) main \(local branch · (last used|default)\)$/, rows.join('\n'));
      assert.ok(rows.includes('--- Remote branches') && rows.includes('$(cloud) upstream/main (remote branch)'), rows.join('\n'));
      assert.ok(!rows.some((row) => / feature \(/.test(row)), `the current branch is not offered: ${rows.join('\n')}`);
    } finally {
      git('update-ref', '-d', 'refs/remotes/upstream/main');
    }
  });

  it('Review Branch… without a base opens the picker, and its first item reviews against the suggested base', async () => {
    const document = await acceptingFirstItem<ReviewDocument | undefined>('diffwise.reviewBranch');
    assert.equal(document?.run.scope, 'branch');
    assert.equal(document?.run.base, 'main');
  });
});
