/**
 * The feedback panel: the last review's findings by file, each with 👍/👎 (and a
 * reason for 👎), a link to its line, filters by rule and severity, and the
 * findings learning suppressed, each with Restore (a 👍, which is how a user
 * takes a finding back). Everything comes from the extension over the channel.
 */
import './feedback.css';
import type { Finding, ReviewDocument, Severity } from '../../shared/review';
import { Channel } from '../common/channel';
import { button, h, replaceContent, statusBlock } from '../common/dom';

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
/** A vote being sent, so its buttons are disabled meanwhile. */
let sending: string | undefined;
let notice: string | undefined;

const SCOPE_NAMES: Record<string, string> = { working: 'working tree', staged: 'staged changes', branch: 'branch' };
const SEVERITIES: Severity[] = ['error', 'warning', 'info'];

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

async function vote(finding: Finding, choice: 'up' | 'down' | 'clear', reason?: string): Promise<void> {
  sending = finding.id;
  notice = undefined;
  render();
  try {
    await channel.request('vote', { findingId: finding.id, vote: choice, ...(reason ? { reason } : {}) });
    notice = choice === 'clear' ? `Vote withdrawn: ${finding.ruleId} in ${finding.file}:${finding.line}.` : `${choice === 'up' ? '👍' : '👎'} recorded: ${finding.ruleId} in ${finding.file}:${finding.line}.`;
  } catch (error) {
    notice = `The vote was not recorded: ${(error as Error).message}`;
  } finally {
    sending = undefined;
    reasonFor = undefined;
  }
  refresh();
}

function saveFilters(): void {
  channel.setState<SavedState>(filters);
  render();
}

function render(): void {
  if (loaded.kind === 'loading') return replaceContent(root, statusBlock('Loading the last review…'));
  if (loaded.kind === 'error') {
    const notRunning = /not running|stopped/i.test(loaded.message);
    return replaceContent(root, statusBlock(notRunning ? 'The Diffwise daemon is not running.' : 'Could not load the last review.', loaded.message,
      notRunning
        ? button('Restart Daemon', () => void channel.request('restartDaemon', {}).then(refresh, refresh), { attrs: { 'data-focus': 'restart' } })
        : button('Retry', refresh, { attrs: { 'data-focus': 'retry' } })));
  }
  const document = loaded.document;
  const reviewButton = () => button('Review Working Tree', () => void channel.request('reviewWorkingTree', {}), { attrs: { 'data-focus': 'review' } });
  if (!document) return replaceContent(root, statusBlock('No review yet.', 'Review your change to see its findings here and vote on them.', reviewButton()));

  const active = document.findings.filter((finding) => !finding.suppressed);
  const suppressed = document.findings.filter((finding) => finding.suppressed);
  const rules = [...new Set(document.findings.map((finding) => finding.ruleId))].sort();
  if (filters.rule && !rules.includes(filters.rule)) filters.rule = '';
  const shown = (finding: Finding) => (!filters.rule || finding.ruleId === filters.rule) && (!filters.severity || finding.severity === filters.severity);
  const visible = active.filter(shown);
  const visibleSuppressed = suppressed.filter(shown);

  const run = document.run;
  const when = new Date(run.startedAt).toLocaleString();
  const scope = run.scope === 'branch' && run.base ? `branch since ${run.base}` : SCOPE_NAMES[run.scope] ?? run.scope;
  const header = h('header', { class: 'summary' },
    h('p', {}, `Last review: ${scope}, ${when}. `,
      h('span', { class: 'counts' }, `${active.length} finding(s), ${suppressed.length} suppressed by learning, ${run.learning?.demoted ?? 0} demoted.`)),
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

  const findingsSection = h('section', { attrs: { 'aria-labelledby': 'findings-heading' } },
    h('h2', { attrs: { id: 'findings-heading' } }, `Findings (${visible.length}${visible.length !== active.length ? ` of ${active.length}` : ''})`),
    visible.length
      ? byFile(visible).map(([file, findings]) => h('section', { class: 'file' },
        h('h3', {}, file),
        h('ul', { class: 'findings' }, ...findings.map(findingRow))))
      : h('p', { class: 'muted' }, active.length ? 'No finding matches the filters.' : 'No findings in the last review.'));

  const suppressedSection = h('section', { attrs: { 'aria-labelledby': 'suppressed-heading' } },
    h('h2', { attrs: { id: 'suppressed-heading' } }, `Suppressed by learning (${visibleSuppressed.length})`),
    visibleSuppressed.length
      ? h('ul', { class: 'findings suppressed' }, ...visibleSuppressed.map(suppressedRow))
      : h('p', { class: 'muted' }, 'Nothing is suppressed. A 👎 hides a finding until its code changes; rules the team keeps voting down are demoted, then suppressed.'));

  replaceContent(root, header, notice ? h('p', { class: 'notice', attrs: { role: 'status' } }, notice) : null, filterBar, findingsSection, suppressedSection);
  if (reasonFor) root.querySelector<HTMLInputElement>('.reason input')?.focus();
}

function labelledSelect(label: string, id: string, options: Array<[string, string]>, value: string, onChange: (value: string) => void): HTMLElement {
  const select = h('select', { attrs: { id, 'data-focus': id } }, ...options.map(([optionValue, text]) => {
    const option = h('option', { attrs: { value: optionValue } }, text);
    option.selected = optionValue === value;
    return option;
  }));
  select.addEventListener('change', () => onChange(select.value));
  return h('label', { attrs: { for: id } }, `${label} `, select);
}

function byFile(findings: Finding[]): Array<[string, Finding[]]> {
  const files = new Map<string, Finding[]>();
  for (const finding of [...findings].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)) {
    files.set(finding.file, [...(files.get(finding.file) ?? []), finding]);
  }
  return [...files];
}

function location(finding: Finding): HTMLButtonElement {
  return button(`${finding.file}:${finding.line}`, () => void channel.request('openFinding', { file: finding.file, line: finding.line }), {
    class: 'link',
    attrs: { 'data-focus': `${finding.id}:open`, title: 'Open the file at this line' },
  });
}

function findingHead(finding: Finding): HTMLElement {
  return h('div', { class: 'finding-head' },
    h('span', { class: `severity severity-${finding.severity}` }, finding.severity),
    h('span', { class: 'rule' }, finding.ruleId),
    finding.learned === 'demoted' && finding.originalSeverity ? h('span', { class: 'learned', attrs: { title: finding.learnedReason } }, `demoted from ${finding.originalSeverity}`) : null,
    location(finding));
}

function findingRow(finding: Finding): HTMLElement {
  const busy = sending === finding.id;
  const voteButton = (choice: 'up' | 'down', label: string) => {
    const pressed = finding.vote === choice || (choice === 'down' && reasonFor?.findingId === finding.id);
    const element = button(label, () => {
      if (finding.vote === choice) return void vote(finding, 'clear'); // pressed again: withdraw
      if (choice === 'up') return void vote(finding, 'up');
      reasonFor = reasonFor?.findingId === finding.id ? undefined : { findingId: finding.id, text: '' };
      render();
    }, { class: 'secondary vote', attrs: { 'aria-pressed': String(pressed), 'data-focus': `${finding.id}:${choice}`, title: finding.vote === choice ? 'Withdraw this vote' : undefined } });
    element.disabled = busy;
    return element;
  };
  return h('li', { class: 'finding', attrs: { 'data-finding-id': finding.id, 'data-rule': finding.ruleId } },
    findingHead(finding),
    h('p', { class: 'message' }, finding.message),
    finding.learned === 'demoted' && finding.learnedReason ? h('p', { class: 'muted learned-reason' }, finding.learnedReason) : null,
    h('div', { class: 'actions', attrs: { role: 'group', 'aria-label': `Vote on ${finding.ruleId} at ${finding.file}:${finding.line}` } },
      voteButton('up', '👍 Helpful'),
      voteButton('down', '👎 Not helpful')),
    reasonFor?.findingId === finding.id ? reasonBox(finding) : null);
}

function reasonBox(finding: Finding): HTMLElement {
  const id = `reason-${finding.id}`;
  const input = h('input', { attrs: { id, type: 'text', maxlength: '2000', placeholder: 'e.g. intended here, false positive…', 'data-focus': id } });
  input.value = reasonFor?.text ?? '';
  input.addEventListener('input', () => reasonFor && (reasonFor.text = input.value));
  const send = () => void vote(finding, 'down', input.value.trim() || undefined);
  const cancel = () => {
    reasonFor = undefined;
    render();
    root.querySelector<HTMLElement>(`[data-focus="${finding.id}:down"]`)?.focus();
  };
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') send();
    else if (event.key === 'Escape') cancel();
  });
  return h('div', { class: 'reason' },
    h('label', { attrs: { for: id } }, 'Why is this not helpful? (optional)'),
    input,
    button('Send 👎', send, { attrs: { 'data-focus': `${id}:send` } }),
    button('Cancel', cancel, { class: 'secondary' }));
}

function suppressedRow(finding: Finding): HTMLElement {
  const restore = button('Restore', () => void vote(finding, 'up'), {
    class: 'secondary',
    attrs: { 'data-focus': `${finding.id}:restore`, 'aria-label': `Restore ${finding.ruleId} at ${finding.file}:${finding.line}` },
  });
  restore.disabled = sending === finding.id;
  return h('li', { class: 'finding', attrs: { 'data-finding-id': finding.id, 'data-rule': finding.ruleId } },
    findingHead(finding),
    h('p', { class: 'message' }, finding.message),
    h('p', { class: 'muted learned-reason' }, finding.learnedReason ?? 'Suppressed by learning.'),
    h('div', { class: 'actions' }, restore));
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
