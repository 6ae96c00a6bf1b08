/**
 * docs/troubleshooting.md against the code: every error message a user can get
 * (scripts/docs/errorMessages.ts collects them from the throw and notification sites) has an
 * entry with its cause and fix, under its area's heading, and no entry describes a message the
 * code no longer has. A failure names the message and where it is, in the code or on the page.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AREA_TITLES, collectErrorMessages, documentedMessages, forwardKey, FORWARDS, messageKey, TROUBLESHOOTING_PAGE, type CollectedMessages, type DocumentedMessage } from '../../../scripts/docs/errorMessages';

const root = path.resolve(__dirname, '..', '..', '..');
const WRITE_UP = 'npx tsx scripts/docs/errorMessages.ts --missing prints the missing entries in the page\'s form';

describe('docs/troubleshooting.md', function () {
  // Parsing every source file of server/, shared/ and extension/ takes a few seconds.
  this.timeout(60000);
  let collected: CollectedMessages;
  let entries: DocumentedMessage[];

  before(() => {
    collected = collectErrorMessages(root);
    entries = documentedMessages(fs.readFileSync(path.join(root, TROUBLESHOOTING_PAGE), 'utf8'));
  });

  it('finds the messages of every area in the code', () => {
    // A collector that silently finds nothing would pass every other test here.
    for (const area of Object.keys(AREA_TITLES)) assert.ok(collected.messages.some((m) => m.area === area), `no ${area} message collected`);
    assert.ok(collected.messages.length > 100, `only ${collected.messages.length} messages collected`);
  });

  it('has an entry for every message the code can give', () => {
    const documented = new Set(entries.map((entry) => entry.key));
    const missing = collected.messages.filter((message) => !documented.has(message.key));
    assert.deepEqual(
      missing.map((message) => `${message.template}  (${message.sites.map((s) => `${s.file}:${s.line}`).join(', ')})`),
      [],
      `these messages have no entry in ${TROUBLESHOOTING_PAGE} (${WRITE_UP})`,
    );
  });

  it('has no entry for a message the code no longer gives', () => {
    const known = new Set(collected.messages.map((message) => message.key));
    const stale = entries.filter((entry) => !known.has(entry.key));
    assert.deepEqual(stale.map((entry) => `${TROUBLESHOOTING_PAGE}:${entry.line}: ${entry.template}`), [], 'these entries describe messages the code no longer has: update or remove them');
  });

  it('knows where every message passed on unchanged comes from', () => {
    // A site like `new GitError(error.message)` has no text of its own: whatever makes that error must be collected too.
    const unlisted = collected.forwarded.filter((site) => !Object.hasOwn(FORWARDS, forwardKey(site)));
    assert.deepEqual(unlisted.map((site) => `${site.file}:${site.line}: ${site.expression}`), [], 'these sites pass on a message from elsewhere: list each in FORWARDS (scripts/docs/errorMessages.ts) with where its messages are collected, or teach the collector to read them');
    const gone = Object.keys(FORWARDS).filter((key) => !collected.forwarded.some((site) => forwardKey(site) === key));
    assert.deepEqual(gone, [], 'FORWARDS lists sites the code no longer has');
  });

  it('has each message once, under its area, with a cause and a fix', () => {
    const byKey = new Map(collected.messages.map((message) => [message.key, message]));
    const seen = new Map<string, number>();
    const problems: string[] = [];
    for (const entry of entries) {
      const where = `${TROUBLESHOOTING_PAGE}:${entry.line}: ${entry.template}`;
      if (seen.has(entry.key)) problems.push(`${where}: a second entry (the first is on line ${seen.get(entry.key)})`);
      seen.set(entry.key, entry.line);
      const message = byKey.get(entry.key);
      if (message && entry.section !== AREA_TITLES[message.area]) problems.push(`${where}: under "${entry.section}", not "${AREA_TITLES[message.area]}"`);
      if (!/\*\*Cause\.\*\*\s*\S/.test(entry.body)) problems.push(`${where}: no **Cause.**`);
      if (!/\*\*Fix\.\*\*\s*\S/.test(entry.body)) problems.push(`${where}: no **Fix.**`);
    }
    assert.deepEqual(problems, []);
  });
});

describe('scripts/docs/errorMessages.ts', () => {
  let root: string;
  before(() => {
    // A repository of one file, so that what is read from each kind of site is known exactly.
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-messages-'));
    fs.mkdirSync(path.join(root, 'server'));
    fs.writeFileSync(
      path.join(root, 'server', 'sample.ts'),
      [
        "const HINT = 'run git fetch';",
        'export function sample(ref: string, shallow: boolean, code: string, error: Error): never {',
        '  if (!ref) throw new GitError(`unknown base ref: ${ref}${shallow ? ` (${HINT})` : \'\'}`);',
        "  if (shallow) throw new StoreError(shallow ? 'the disk is full' : `an I/O error (${code})`);",
        '  let message: string;',
        "  if (code === 'A') message = `cannot write: ${code}`;",
        "  else message = 'out of memory';",
        '  if (code) throw new GitHubError(message);',
        '  throw new UsageError(error.message);',
        '}',
      ].join('\n'),
    );
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads each site\'s template: constants inlined, optional parts bracketed, every branch and assignment', () => {
    const { messages, forwarded } = collectErrorMessages(root);
    assert.deepEqual(
      messages.map((m) => [m.area, m.template, m.sites.map((s) => `${s.file}:${s.line}`).join(' ')]),
      [
        ['git', 'unknown base ref: ‹ref›[ (run git fetch)]', 'server/sample.ts:3'],
        ['store', 'an I/O error (‹code›)', 'server/sample.ts:4'],
        ['store', 'the disk is full', 'server/sample.ts:4'],
        ['github', 'cannot write: ‹code›', 'server/sample.ts:8'],
        ['github', 'out of memory', 'server/sample.ts:8'],
      ],
    );
    // An error passed on unchanged has no text of its own: its message is documented where it is made.
    assert.deepEqual(forwarded, [{ file: 'server/sample.ts', line: 9, expression: 'error.message' }]);
  });

  it('matches an entry by its template whatever its placeholders are called', () => {
    assert.equal(messageKey('unknown base ref: ‹ref›'), messageKey('unknown  base ref: ‹name›'));
    assert.notEqual(messageKey('unknown base ref: ‹ref›'), messageKey('unknown ref: ‹ref›'));
    const [entry] = documentedMessages('## Git\n\n### `` run `git fsck` on ‹dir› ``\n\n**Cause.** c\n**Fix.** f\n');
    assert.deepEqual(entry && { template: entry.template, line: entry.line, section: entry.section }, { template: 'run `git fsck` on ‹dir›', line: 3, section: 'Git' });
  });
});
