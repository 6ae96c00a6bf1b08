/** The dashboard's tables: the text alternative of each chart and of the waterfall, and its lists. */
import { h } from '../common/dom';

/** A vscode-table of rows, named by its caption; columns from `numericFrom` on are right-aligned figures. */
export function dataTable(caption: string, headers: string[], rows: Array<Array<string | number>>, numericFrom = 1): HTMLElement {
  const numeric = (i: number) => (i >= numericFrom ? 'number' : undefined);
  return h('vscode-table', { class: 'data-table', attrs: { 'aria-label': caption, zebra: '', 'bordered-rows': '' } },
    h('vscode-table-header', { attrs: { slot: 'header' } }, ...headers.map((header, i) => h('vscode-table-header-cell', { class: numeric(i) }, header))),
    h('vscode-table-body', { attrs: { slot: 'body' } }, ...rows.map((row) => h('vscode-table-row', {},
      ...row.map((cell, i) => h('vscode-table-cell', { class: numeric(i) }, String(cell)))))));
}
