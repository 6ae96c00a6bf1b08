/**
 * The feedback panel: the last review's findings by file, each with Helpful / Not
 * helpful (and a reason for the latter), Ignore, a link to its line and its message's
 * Markdown; filters by rule and severity; the findings learning suppressed, each with
 * Restore (a vote up, which is how a user takes a finding back); and the findings the
 * user ignored, each with Unignore. Everything comes from the extension over the channel.
 */
import './feedback.css';
import type { Finding, ReviewDocument, Severity } from '../../shared/review';
import { Channel } from '../common/channel';
import { badge, button, focusTextfield, h, icon, labelledSelect, linkButton, markdownBlock, replaceContent, statusBlock } from '../common/dom';
import { formatDate, plural, withLocalDays } from '../common/format';

const channel = new Channel<'feedback'>();
const root = document.getElementById('diffwise-feedback')!;

interface SavedState {
  rule: string;
  severity: Severity | '';
}

type Loaded = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'review'; document: ReviewDocument | null };

const saved = channel.getState<SavedState>();
const filters: SavedState = { rule: saved.rule ?? '', severity: saved.severity ?? '' };
let loaded: Loaded = { kind: 'loading' };
/** The finding whose reason box is open, and what has been typed in it. */
let reasonFor: { findingId: string; text: string } | undefined;
/** A finding whose vote, ignore or unignore is being sent, so its buttons are disabled meanwhile. */
let sending: string | undefined;
let notice: string | undefined;

const SCOPE_NAMES: Record<string, string> = { working: 'working tree', staged: 'staged changes', branch: 'branch' };
const SEVERITIES: Severity[] = ['error', 'warning', 'info'];
const SEVERITY_ICONS: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info' };

const openLink = (url: string) => void channel.request('openLink', { url });
const where = (finding: Finding) => `${finding.ruleId} in ${finding.file}:${finding.line}`;

// One fetch at a time; a change announced meanwhile fetches once more afterwards.
let fetching: Promise<void> | undefined;
let again = false;
function refresh(): void {
  if (fetching) {
    again = true;
    return;
  }
  fetching = channel
    .request('lastReview', {})
    .then((document) => (loaded = { kind: 'review', document }), (error: Error) => (loaded = { kind: 'error', message: error.message }))
    .then(() => {
      fetching = undefined;
      render();
      if (again) {
        again = false;
        refresh();
      }
    });
}

/** Sends one action on a finding, with its buttons disabled meanwhile, and says how it went. */
async function act(finding: Finding, send: () => Promise<unknown>, done: string, failed: string): Promise<void> {
  sending = finding.id;
  notice = undefined;
  render();
  try {
    await send();
    notice = done;
  } catch (error) {
    notice = `${failed}: ${(error as Error).message}`;
  } finally {
    sending = undefined;
    reasonFor = undefined;
  }
  refresh();
}

function vote(finding: Finding, choice: 'up' | 'down' | 'clear', reason?: string): Promise<void> {
  const done = choice === 'clear' ? 'Vote withdrawn' : choice === 'up' ? 'Marked helpful' : 'Marked not helpful';
  return act(finding, () => channel.request('vote', { findingId: finding.id, vote: choice, ...(reason ? { reason } : {}) }), `${done}: ${where(finding)}.`, 'The vote was not recorded');
}

function ignore(finding: Finding): Promise<void> {
  return act(finding, () => channel.request('ignore', { findingId: finding.id }),
    `Ignored: ${where(finding)}. It is listed under "Ignored by you", where Unignore takes it back.`, 'The finding was not ignored');
}

function unignore(finding: Finding): Promise<void> {
  return act(finding, () => channel.request('unignore', { findingId: finding.id }), `Unignored: ${where(finding)} is reported again.`, 'The finding was not unignored');
}

function saveFilters(): void {
  channel.setState<SavedState>(filters);
  render();
}

function reviewButton(): HTMLElement {
  return button('Review Working Tree', () => void channel.request('reviewWorkingTree', {}), { icon: 'play', attrs: { 'data-focus': 'review' } });
}

function render(): void {
  if (loaded.kind === 'loading') return replaceContent(root, statusBlock('Loading the last review…', undefined, undefined, { busy: true }));
  if (loaded.kind === 'error') {
    const notRunning = /not running|stopped/i.test(loaded.message);
    return replaceContent(root, statusBlock(notRunning ? 'The Diffwise daemon is not running — restart it.' : 'Could not load the last review.', loaded.message,
      notRunning
        ? button('Restart Daemon', () => void channel.request('restartDaemon', {}).then(refresh, refresh), { icon: 'debug-restart', attrs: { 'data-focus': 'restart' } })
        : button('Retry', refresh, { icon: 'refresh', attrs: { 'data-focus': 'retry' } })));
  }
  const document = loaded.document;
  if (!document) return replaceContent(root, statusBlock('No review yet — Review Working Tree.', 'Review your change to see its findings here and vote on them.', reviewButton()));

  const ignored = document.findings.filter((finding) => finding.ignored);
  const active = document.findings.filter((finding) => !finding.suppressed && !finding.ignored);
  const suppressed = document.findings.filter((finding) => finding.suppressed && !finding.ignored);
  const rules = [...new Set(document.findings.map((finding) => finding.ruleId))].sort();
  if (filters.rule && !rules.includes(filters.rule)) filters.rule = '';
  const shown = (finding: Finding) => (!filters.rule || finding.ruleId === filters.rule) && (!filters.severity || finding.severity === filters.severity);
  const visible = active.filter(shown);
  const visibleSuppressed = suppressed.filter(shown);
  const visibleIgnored = ignored.filter(shown);

  const run = document.run;
  const scope = run.scope === 'branch' && run.base ? `branch since ${run.base}` : SCOPE_NAMES[run.scope] ?? run.scope;
  const counts = [
    plural(active.length, 'finding'),
    `${plural(suppressed.length, 'finding')} suppressed by learning`,
    `${run.learning?.demoted ?? 0} demoted`,
    `${ignored.length} ignored by you`,
  ];
  const header = h('header', { class: 'summary' },
    h('p', {}, `Last review: ${scope}, ${formatDate(run.startedAt)}.`),
    h('p', { class: 'counts muted' }, counts.join(' · ')),
    reviewButton());

  const filterBar = h('div', { class: 'filters', attrs: { role: 'group', 'aria-label': 'Filters' } },
    labelledSelect('Rule', 'filter-rule', [['', 'All rules'], ...rules.map((rule): [string, string] => [rule, rule])], filters.rule, (value) => {
      filters.rule = value;
      saveFilters();
    }),
    labelledSelect('Severity', 'filter-severity', [['', 'All severities'], ...SEVERITIES.map((severity): [string, string] => [severity, severity])], filters.severity, (value) => {
      filters.severity = value as Severity | '';
      saveFilters();
    }));

  const findingsSection = section('findings', 'Findings', visible.length, active.length,
    visible.length
      ? byFile(visible).map(([file, findings]) => h('section', { class: 'file' },
        h('h3', {}, icon('file'), ' ', file),
        h('ul', { class: 'findings' }, ...findings.map(findingRow))))
      : h('p', { class: 'muted' }, active.length ? 'No finding matches the filters.' : 'No findings in the last review: nothing to vote on.'));

  const suppressedSection = section('suppressed', 'Suppressed by learning', visibleSuppressed.length, suppressed.length,
    visibleSuppressed.length
      ? h('ul', { class: 'findings suppressed' }, ...visibleSuppressed.map(suppressedRow))
      : h('p', { class: 'muted' }, 'Nothing is suppressed. Not helpful hides a finding until its code changes; rules the team keeps voting down are demoted, then suppressed.'));

  const ignoredSection = section('ignored', 'Ignored by you', visibleIgnored.length, ignored.length,
    visibleIgnored.length
      ? h('ul', { class: 'findings ignored' }, ...visibleIgnored.map(ignoredRow))
      : h('p', { class: 'muted' }, 'Nothing is ignored. Ignore (here, or the quick fix on a diagnostic) leaves a finding out of every later review; it is listed here, with Unignore.'));

  replaceContent(root, header, notice ? h('p', { class: 'notice', attrs: { role: 'status' } }, icon('info'), ' ', notice) : null,
    filterBar, findingsSection, suppressedSection, ignoredSection);
  if (reasonFor) {
    const field = root.querySelector<HTMLElement>('.reason vscode-textfield');
    if (field) focusTextfield(field);
  }
}

/** A section with its heading and a count badge (`3`, or `1 of 3` while filtered). */
function section(id: string, title: string, shownCount: number, total: number, body: HTMLElement | HTMLElement[]): HTMLElement {
  return h('section', { attrs: { 'aria-labelledby': `${id}-heading`, 'data-section': id } },
    h('h2', { attrs: { id: `${id}-heading` } }, `${title} `, badge(shownCount), shownCount !== total ? h('span', { class: 'muted' }, ` of ${total}`) : null),
    body);
}

function byFile(findings: Finding[]): Array<[string, Finding[]]> {
  const files = new Map<string, Finding[]>();
  for (const finding of [...findings].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)) {
    files.set(finding.file, [...(files.get(finding.file) ?? []), finding]);
  }
  return [...files];
}

function location(finding: Finding): HTMLButtonElement {
  return linkButton(`${finding.file}:${finding.line}`, () => void channel.request('openFinding', { file: finding.file, line: finding.line }), {
    'data-focus': `${finding.id}:open`, title: 'Open the file at this line',
  });
}

function findingHead(finding: Finding): HTMLElement {
  return h('div', { class: 'finding-head' },
    h('span', { class: `severity severity-${finding.severity}` }, icon(SEVERITY_ICONS[finding.severity]), ` ${finding.severity}`),
    h('span', { class: 'rule' }, finding.ruleId),
    finding.learned === 'demoted' && finding.originalSeverity ? h('span', { class: 'learned', attrs: { title: finding.learnedReason ? withLocalDays(finding.learnedReason) : '' } }, `demoted from ${finding.originalSeverity}`) : null,
    location(finding));
}

function findingRow(finding: Finding): HTMLElement {
  const busy = sending === finding.id;
  const voteButton = (choice: 'up' | 'down', label: string, codicon: string) => {
    const pressed = finding.vote === choice || (choice === 'down' && reasonFor?.findingId === finding.id);
    return button(label, () => {
      if (finding.vote === choice) return void vote(finding, 'clear'); // pressed again: withdraw
      if (choice === 'up') return void vote(finding, 'up');
      reasonFor = reasonFor?.findingId === finding.id ? undefined : { findingId: finding.id, text: '' };
      render();
    }, {
      // Filled icon for the vote cast: the pressed state is visible without colour too.
      icon: finding.vote === choice ? `${codicon}-filled` : codicon,
      secondary: !pressed,
      disabled: busy,
      class: 'vote',
      attrs: { 'aria-pressed': String(pressed), 'data-focus': `${finding.id}:${choice}`, title: finding.vote === choice ? 'Withdraw this vote' : undefined },
    });
  };
  return h('li', { class: 'finding', attrs: { 'data-finding-id': finding.id, 'data-rule': finding.ruleId } },
    findingHead(finding),
    markdownBlock(finding.message, openLink),
    finding.learned === 'demoted' && finding.learnedReason ? h('p', { class: 'muted learned-reason' }, withLocalDays(finding.learnedReason)) : null,
    h('div', { class: 'actions', attrs: { role: 'group', 'aria-label': `Actions on ${where(finding)}` } },
      voteButton('up', 'Helpful', 'thumbsup'),
      voteButton('down', 'Not helpful', 'thumbsdown'),
      button('Ignore', () => void ignore(finding), {
        icon: 'eye-closed', secondary: true, disabled: busy, class: 'ignore',
        attrs: { 'data-focus': `${finding.id}:ignore`, title: 'Leave this finding out of every later review (Unignore takes it back)' },
      })),
    reasonFor?.findingId === finding.id ? reasonBox(finding) : null);
}

function reasonBox(finding: Finding): HTMLElement {
  const id = `reason-${finding.id}`;
  const field = h('vscode-textfield', { attrs: { id, maxlength: '2000', placeholder: 'e.g. intended here, false positive…', 'data-focus': id } });
  field.value = reasonFor?.text ?? '';
  field.addEventListener('input', () => reasonFor && (reasonFor.text = field.value));
  const send = () => void vote(finding, 'down', field.value.trim() || undefined);
  const cancel = () => {
    reasonFor = undefined;
    render();
    root.querySelector<HTMLElement>(`[data-focus="${finding.id}:down"]`)?.focus();
  };
  field.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') send();
    else if (event.key === 'Escape') cancel();
  });
  return h('div', { class: 'reason' },
    h('vscode-label', { attrs: { for: id } }, 'Why is this not helpful? (optional)'),
    field,
    button('Send', send, { icon: 'thumbsdown', attrs: { 'data-focus': `${id}:send` } }),
    button('Cancel', cancel, { secondary: true }));
}

function suppressedRow(finding: Finding): HTMLElement {
  return h('li', { class: 'finding', attrs: { 'data-finding-id': finding.id, 'data-rule': finding.ruleId } },
    findingHead(finding),
    markdownBlock(finding.message, openLink),
    h('p', { class: 'muted learned-reason' }, finding.learnedReason ? withLocalDays(finding.learnedReason) : 'Suppressed by learning.'),
    h('div', { class: 'actions' }, button('Restore', () => void vote(finding, 'up'), {
      icon: 'discard', secondary: true, disabled: sending === finding.id,
      attrs: { 'data-focus': `${finding.id}:restore`, 'aria-label': `Restore ${where(finding)}` },
    })));
}

function ignoredRow(finding: Finding): HTMLElement {
  return h('li', { class: 'finding', attrs: { 'data-finding-id': finding.id, 'data-rule': finding.ruleId } },
    findingHead(finding),
    markdownBlock(finding.message, openLink),
    h('div', { class: 'actions' }, button('Unignore', () => void unignore(finding), {
      icon: 'eye', secondary: true, disabled: sending === finding.id, class: 'unignore',
      attrs: { 'data-focus': `${finding.id}:unignore`, 'aria-label': `Unignore ${where(finding)}` },
    })));
}

channel.onPush('lastReviewChanged', () => refresh());
channel.onPush('daemonChanged', ({ running }) => {
  if (running) refresh();
  else {
    loaded = { kind: 'error', message: 'The daemon stopped; Restart Daemon starts it again.' };
    render();
  }
});
render();
channel.start();
refresh();
