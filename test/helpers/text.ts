/** Lines joined with `\n`, with a final newline, as files are: how tests write source text. */
export const lines = (...text: string[]): string => `${text.join('\n')}\n`;
