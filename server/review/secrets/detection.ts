/** What every detector returns. */

/** One credential found in a text. `start`/`end` are offsets of the secret itself, not of its context. */
export interface Detection {
  start: number;
  end: number;
  secret: string;
  /** What it is, for the message ("GitHub token", "password in a redis:// URL"). */
  label: string;
  /** Which detector found it: `secretlint:<rule>`, `provider:<id>`, `private-key`, `assignment`, `connection-string`. */
  source: string;
}

/** Lines longer than this are minified or generated; the regexes are skipped on them to stay linear. */
export const MAX_LINE_LENGTH = 4096;
