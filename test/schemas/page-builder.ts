// Builds small synthetic reference pages in the format of spec/page.txt: one cell per line, cells
// separated by a blank line, bullets as "  • x", examples as multi-line JSON.

import type { Errata } from '../../schemas/compiler/compile.ts';

/** Joins cells (or groups of cells) the way the real page does: one cell per line, blank line between. */
export const cells = (...parts: (string | string[])[]): string => parts.flat().join('\n\n');

/** "Updated on", title, Function and URI: the head every page has. */
export function prelude(opts: { title?: string; function?: string; method?: string; path?: string } = {}): string[] {
  return [
    'Updated on 2023-06-29 GMT+08:00',
    opts.title ?? 'Doing Things in a Project',
    'Function',
    opts.function ?? 'Does things to a project.',
    'URI',
    `${opts.method ?? 'POST'} ${opts.path ?? '/v2/{project_id}/things'}`,
  ];
}

/** A table: heading, header cells, then the rows' cells in order ([name, (Yes|No,) type, ...description]). */
export function table(n: number, title: string, rows: string[][], opts: { mandatory?: boolean } = {}): string[] {
  return [
    `Table ${n} ${title}`,
    'Parameter',
    ...(opts.mandatory ? ['Mandatory'] : []),
    'Type',
    'Description',
    ...rows.flat(),
  ];
}

/** A bullet cell as the page writes it. */
export const bullet = (text: string): string => `  • ${text}`;

/** A JSON example cell, multi-line like the page's ("key" : value). */
export const json = (value: unknown): string => JSON.stringify(value, null, 2).replace(/": /g, '" : ');

/** The Status Codes table. */
export function statusCodes(codes: [number, string][]): string[] {
  return ['Status Codes', 'Status Code', 'Description', ...codes.flatMap(([s, d]) => [String(s), d])];
}

/** 1-based line number of the `occurrence`-th line whose trimmed text is exactly `text`. */
export function lineOf(source: string, text: string, occurrence = 1): number {
  const lines = source.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === text && ++seen === occurrence) return i + 1;
  }
  throw new Error(`line "${text}" (#${occurrence}) is not in the page`);
}

/** Errata with no human decisions. */
export const noErrata = (): Errata => ({
  required: [],
  overrides: [],
  rules: [],
  conflicts: [],
  decisions: [],
  pageRules: [],
});

/** Catches the error a function throws (fails the test when it does not throw). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to throw, it returned');
}
