/**
 * How both webviews write dates, counts and plurals: one helper each, so that the
 * feedback panel and the metrics dashboard never disagree ("2 Dec 2026, 14:05" in
 * one, "12/2/2026, 2:05:00 PM" in the other). Pure functions over `Intl`, no DOM:
 * the unit tests run them in Node.
 */

/** The UI locale: what webviewHtml.ts writes into `<html lang>` (VS Code's display language). */
export function uiLocale(): string {
  // Through globalThis: this file is also compiled without the DOM library, for the unit tests.
  const page = (globalThis as { document?: { documentElement: { lang: string } } }).document;
  return page?.documentElement.lang || 'en';
}

const DAY: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' };
const DAY_AND_TIME: Intl.DateTimeFormatOptions = { ...DAY, hour: 'numeric', minute: '2-digit' };

export interface DateOptions {
  locale?: string;
  /** An IANA zone; the viewer's own when absent. The metrics buckets are UTC. */
  timeZone?: string;
  /** Leave the time of day out (a day's bucket). */
  dayOnly?: boolean;
}

/** A moment as the one date format of the webviews: `2 Dec 2026, 14:05` in en-GB, `Dec 2, 2026, 2:05 PM` in en. */
export function formatDate(moment: Date | string | number, options: DateOptions = {}): string {
  const date = moment instanceof Date ? moment : new Date(moment);
  if (Number.isNaN(date.getTime())) return String(moment);
  const format = new Intl.DateTimeFormat(options.locale ?? uiLocale(), {
    ...(options.dayOnly ? DAY : DAY_AND_TIME),
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  });
  return format.format(date);
}

/**
 * The daemon's sentences carry days as ISO dates (`voted down at this code on 2026-12-02`, the
 * form the CLI prints); in a panel they read in the panel's one format (`Dec 2, 2026`). The day
 * is a calendar day, so it is formatted in UTC, not shifted into the viewer's zone.
 */
export function withLocalDays(text: string, locale = uiLocale()): string {
  return text.replace(/\b(\d{4})-(\d{2})-(\d{2})\b(?!T)/g, (iso) => formatDate(`${iso}T00:00:00Z`, { locale, timeZone: 'UTC', dayOnly: true }));
}

/** A whole number in the locale's digits and grouping (`12,345`). */
export function formatCount(value: number, locale = uiLocale()): string {
  return value.toLocaleString(locale);
}

/** A noun's forms for the plural categories English uses; other languages' categories fall back to `other`. */
export interface Noun {
  one: string;
  other: string;
}

/**
 * `1 finding`, `2 findings`, `0 findings`: the count and the noun's form that
 * Intl.PluralRules picks for it. The nouns are English, so their rules are English's
 * whatever the UI locale (a Polish "few" has no English form); the digits follow the locale.
 */
export function plural(count: number, noun: Noun | string, locale = uiLocale()): string {
  const forms = typeof noun === 'string' ? { one: noun, other: `${noun}s` } : noun;
  const category = new Intl.PluralRules('en').select(count);
  return `${formatCount(count, locale)} ${category === 'one' ? forms.one : forms.other}`;
}
