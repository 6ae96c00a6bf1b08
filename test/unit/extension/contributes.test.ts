/**
 * package.json's `contributes` beyond the settings (test/unit/manifest.test.ts has those): the
 * `when` clauses read only context keys the extension sets, menus and keybindings name declared
 * commands, the walkthrough's pages and the icon ship, and no title carries an emoji.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
interface MenuItem { command?: string; submenu?: string; when?: string }
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  icon?: string;
  contributes: {
    commands: Array<{ command: string; title: string; enablement?: string }>;
    submenus: Array<{ id: string; label: string }>;
    menus: Record<string, MenuItem[]>;
    keybindings: Array<{ command: string; key: string; mac?: string; when?: string }>;
    configuration: Array<{ title: string; order: number; properties: Record<string, { order: number; markdownDescription?: string }> }>;
    walkthroughs: Array<{ steps: Array<{ id: string; media: { markdown?: string }; completionEvents: string[] }> }>;
  };
};
const { contributes } = manifest;
const declared = new Set(contributes.commands.map((command) => command.command));

/** The context keys extension/contextKeys.ts sets, read from its source (it imports vscode). */
const setKeys = (() => {
  const source = fs.readFileSync(path.join(root, 'extension', 'contextKeys.ts'), 'utf8');
  const list = /CONTEXT_KEYS = \[([^\]]+)\]/.exec(source)?.[1] ?? '';
  return new Set([...list.matchAll(/'([^']+)'/g)].map((match) => match[1]));
})();

describe('package.json contributes', () => {
  it('the when and enablement clauses read only the context keys the extension sets', () => {
    const clauses = [
      ...Object.values(contributes.menus).flat().map((item) => item.when ?? ''),
      ...contributes.commands.map((command) => command.enablement ?? ''),
      ...contributes.keybindings.map((binding) => binding.when ?? ''),
    ];
    // The keys, not the values compared with them (`view == diffwise.feedback`).
    const keysOnly = clauses.map((clause) => clause.replace(/(==|!=|=~)\s*\S+/g, ''));
    const used = new Set(keysOnly.flatMap((clause) => [...clause.matchAll(/\bdiffwise\.[A-Za-z]+\b/g)].map((match) => match[0])));
    for (const key of used) assert.ok(setKeys.has(key), `${key} is set by extension/contextKeys.ts`);
    assert.ok(setKeys.size >= 4);
  });

  it('hides from the palette what does not apply: the key commands without a key, the pull-request ones without a GitHub remote, the comment-widget ones always', () => {
    const palette = new Map(contributes.menus.commandPalette.map((item) => [item.command, item.when]));
    assert.equal(palette.get('diffwise.clearLlmApiKey'), 'diffwise.llmKeySet');
    for (const command of ['diffwise.syncPullRequestComments', 'diffwise.signInToGitHub', 'diffwise.publishFindings']) {
      assert.match(palette.get(command) ?? '', /diffwise\.hasGitHubRemote/, command);
    }
    for (const command of ['diffwise.replyToPrComment', 'diffwise.resolvePrThread', 'diffwise.unresolvePrThread', 'diffwise.applyPrSuggestion', 'diffwise.prCommentHelpful', 'diffwise.prCommentNotHelpful']) {
      assert.equal(palette.get(command), 'false', command);
    }
  });

  it('menus and keybindings name declared commands or submenus', () => {
    const submenus = new Set(contributes.submenus.map((submenu) => submenu.id));
    for (const [menu, items] of Object.entries(contributes.menus)) {
      for (const item of items) assert.ok(item.command ? declared.has(item.command) : submenus.has(item.submenu ?? ''), `${menu}: ${item.command ?? item.submenu}`);
    }
    for (const binding of contributes.keybindings) assert.ok(declared.has(binding.command), binding.command);
  });

  it('binds the review commands to ctrl+alt+d chords, each chord once', () => {
    const keys = contributes.keybindings.map((binding) => binding.key);
    assert.equal(new Set(keys).size, keys.length);
    for (const command of ['diffwise.reviewWorkingTree', 'diffwise.reviewStaged', 'diffwise.reviewBranch']) {
      assert.match(contributes.keybindings.find((binding) => binding.command === command)?.key ?? '', /^ctrl\+alt\+d [a-z]$/, command);
    }
  });

  it('has no emoji in a command title, a submenu label or a setting description', () => {
    const emoji = /\p{Extended_Pictographic}/u;
    for (const command of contributes.commands) assert.doesNotMatch(command.title, emoji, command.command);
    for (const submenu of contributes.submenus) assert.doesNotMatch(submenu.label, emoji, submenu.id);
    for (const section of contributes.configuration) {
      for (const [key, setting] of Object.entries(section.properties)) assert.doesNotMatch(setting.markdownDescription ?? '', emoji, key);
    }
  });

  it('groups the settings in titled sections, ordered, each setting ordered within its section', () => {
    const orders = contributes.configuration.map((section) => section.order);
    assert.deepEqual(orders, [...orders].sort((a, b) => a - b));
    for (const section of contributes.configuration) {
      assert.ok(section.title, 'a section has a title');
      const within = Object.values(section.properties).map((setting) => setting.order);
      assert.deepEqual(within, within.map((_, index) => index + 1), section.title);
    }
  });

  it('the walkthrough has the four steps, each with its page on disk and a completion event', () => {
    const steps = contributes.walkthroughs[0].steps;
    assert.deepEqual(steps.map((step) => step.id), ['review', 'vote', 'llm', 'metrics']);
    for (const step of steps) {
      assert.ok(step.media.markdown && fs.existsSync(path.join(root, step.media.markdown)), step.id);
      assert.ok(step.completionEvents.length > 0 && step.completionEvents.every((event) => /^(onCommand|onSettingChanged):diffwise\./.test(event)), step.id);
    }
  });

  it('has a 128×128 PNG icon', () => {
    const png = fs.readFileSync(path.join(root, manifest.icon ?? 'missing'));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    // IHDR: width and height, big-endian, at bytes 16 and 20.
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  });
});
