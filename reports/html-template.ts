// HTML built from tagged templates whose every interpolation is escaped by `entities` (WHATWG
// text and attribute safe: & < > " '); markup passes only as Html values made by `html` itself.
// Attributes are always written double-quoted in the templates.

import { escapeHtml } from './escape.ts';

export { escapeHtml };

export class Html {
  constructor(readonly text: string) {}
}

export type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function render(p: Part): string {
  if (p instanceof Html) return p.text;
  if (Array.isArray(p)) return p.map(render).join('');
  if (p === null || p === undefined || p === false) return '';
  return escapeHtml(String(p));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Our own constant markup (the page's style and script); never data. */
export const trusted = (text: string): Html => new Html(text);

export const toText = (p: Part): string => render(p);
