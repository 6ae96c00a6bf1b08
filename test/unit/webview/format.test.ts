import * as assert from 'node:assert/strict';
import { formatCount, formatDate, plural, withLocalDays } from '../../../webview/common/format';

describe('webview format: plurals', () => {
  it('says 1 finding, 2 findings, 0 findings: never finding(s)', () => {
    assert.equal(plural(1, 'finding', 'en'), '1 finding');
    assert.equal(plural(2, 'finding', 'en'), '2 findings');
    assert.equal(plural(0, 'finding', 'en'), '0 findings');
  });

  it('takes irregular forms', () => {
    assert.equal(plural(1, { one: 'LLM call', other: 'LLM calls' }, 'en'), '1 LLM call');
    assert.equal(plural(3, { one: 'reply', other: 'replies' }, 'en'), '3 replies');
  });

  it('groups digits in the locale, and keeps English forms in any locale', () => {
    assert.equal(plural(12345, 'review', 'en'), '12,345 reviews');
    assert.equal(plural(12345, 'review', 'de'), '12.345 reviews');
    // Polish would call 2 "few": the noun is English, so it is still "findings".
    assert.equal(plural(2, 'finding', 'pl'), '2 findings');
    assert.equal(formatCount(1000, 'en'), '1,000');
  });
});

describe('webview format: one date format', () => {
  const moment = '2026-12-02T14:05:09.000Z';

  it('writes day, short month, year, hours and minutes (no seconds)', () => {
    assert.equal(formatDate(moment, { locale: 'en-GB', timeZone: 'UTC' }), '2 Dec 2026, 14:05');
    assert.equal(formatDate(moment, { locale: 'en', timeZone: 'UTC' }), 'Dec 2, 2026, 2:05 PM');
  });

  it('leaves the time out for a day', () => {
    assert.equal(formatDate(moment, { locale: 'en-GB', timeZone: 'UTC', dayOnly: true }), '2 Dec 2026');
  });

  it('takes a Date, an ISO string or epoch milliseconds alike, in the zone asked for', () => {
    const expected = formatDate(moment, { locale: 'en-GB', timeZone: 'Asia/Tokyo' });
    assert.equal(expected, '2 Dec 2026, 23:05');
    assert.equal(formatDate(new Date(moment), { locale: 'en-GB', timeZone: 'Asia/Tokyo' }), expected);
    assert.equal(formatDate(Date.parse(moment), { locale: 'en-GB', timeZone: 'Asia/Tokyo' }), expected);
  });

  it('shows what it was given when it is not a date', () => {
    assert.equal(formatDate('not a date', { locale: 'en' }), 'not a date');
  });
});

describe('webview format: the daemon\'s ISO days in a panel', () => {
  it('writes them in the panel\'s format, as the calendar day they are, and leaves timestamps and other text alone', () => {
    assert.equal(withLocalDays('voted down at this code on 2026-12-02: intended here', 'en'), 'voted down at this code on Dec 2, 2026: intended here');
    assert.equal(withLocalDays('voted down at this code on 2026-01-01', 'en-GB'), 'voted down at this code on 1 Jan 2026');
    assert.equal(withLocalDays('3 of 9 votes up (at most 62% at 95% confidence)', 'en'), '3 of 9 votes up (at most 62% at 95% confidence)');
    assert.equal(withLocalDays('at 2026-12-02T10:00:00Z', 'en'), 'at 2026-12-02T10:00:00Z');
  });
});
