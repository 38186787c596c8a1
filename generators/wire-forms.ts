// The same request in other bytes. JSON text of the same value (RFC 8259: insignificant whitespace
// around tokens, members in any order, any character of a string as a \u escape) and HTTP headers of
// the same meaning (RFC 9110: header names, the media type, its parameter names and the charset are
// case-insensitive; parameters and optional whitespace around them do not change the media type).

import type { CaseStep } from './cases.ts';
import type { Faker } from './seed.ts';

export type EquivalenceRule = 'wire.equivalent_json' | 'wire.equivalent_http';

export interface WireForm {
  name: string;
  rule: EquivalenceRule;
  what: string; // for the case description
  /** The request in this form; with a faker, a seeded variant of it (other whitespace, order, escapes, spelling). */
  step(value: unknown, f?: Faker): CaseStep;
}

interface TextOptions {
  ws?: () => string; // whitespace written around every structural token
  order?: (keys: string[]) => string[]; // member order of every object
  escape?: (ch: string) => boolean; // which characters of strings (keys included) become \u escapes
}

const uEscape = (ch: string) =>
  [...Array(ch.length).keys()].map((i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');

function stringText(s: string, o: TextOptions): string {
  const escaped = o.escape;
  if (!escaped) return JSON.stringify(s);
  return `"${[...s].map((ch) => (escaped(ch) ? uEscape(ch) : JSON.stringify(ch).slice(1, -1))).join('')}"`;
}

/** JSON text of `value` written as the options say; JSON.parse gives back the same value. */
export function jsonText(value: unknown, o: TextOptions = {}): string {
  const w = () => o.ws?.() ?? '';
  if (typeof value === 'string') return stringText(value, o);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${w()}${value.map((x) => jsonText(x, o)).join(`${w()},${w()}`)}${w()}]`;
  const obj = value as Record<string, unknown>;
  const keys = o.order ? o.order(Object.keys(obj)) : Object.keys(obj);
  const members = keys.map((k) => `${stringText(k, o)}${w()}:${w()}${jsonText(obj[k], o)}`);
  return `{${w()}${members.join(`${w()},${w()}`)}${w()}}`;
}

/** RFC 8259's four whitespace characters, in turn or drawn by a faker. */
const WS = [' ', '\t', '\n', '\r'];
const cycling = (items: string[]) => {
  let i = 0;
  return () => items[i++ % items.length];
};
const drawnWhitespace = (f: Faker) => () =>
  f.helpers
    .arrayElements(WS, { min: 0, max: 3 })
    .join('')
    .repeat(f.number.int({ min: 1, max: 2 }));

const CHARSET_SPELLINGS = [
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'application/json ; charset="utf-8"',
  'APPLICATION/JSON',
  'Application/Json; Charset=Utf-8',
];

export const WIRE_FORMS: readonly WireForm[] = [
  {
    name: 'pretty-printed',
    rule: 'wire.equivalent_json',
    what: 'the body pretty-printed (newlines and indentation)',
    step: (v, f) => ({
      label: 'pretty-printed',
      text: JSON.stringify(v, null, f ? f.number.int({ min: 1, max: 8 }) : 2),
    }),
  },
  {
    name: 'whitespace',
    rule: 'wire.equivalent_json',
    what: 'spaces, tabs, CR and LF around every token and around the body',
    step: (v, f) => {
      const ws = f ? drawnWhitespace(f) : cycling([' ', '\t', '\r\n', '  \n']);
      return { label: 'whitespace', text: `${ws()}${jsonText(v, { ws })}${ws()}\n` };
    },
  },
  {
    name: 'key-order',
    rule: 'wire.equivalent_json',
    what: 'the members of the body in another order',
    step: (v, f) => ({
      label: 'key-order',
      text: jsonText(v, { order: (keys) => (f ? f.helpers.shuffle(keys) : [...keys].reverse()) }),
    }),
  },
  {
    name: 'unicode-escapes',
    rule: 'wire.equivalent_json',
    what: 'every character of every string (keys too) written as a \\u escape',
    step: (v, f) => ({
      label: 'unicode-escapes',
      text: jsonText(v, { escape: f ? () => f.datatype.boolean() : () => true }),
    }),
  },
  {
    name: 'charset-param',
    rule: 'wire.equivalent_http',
    what: 'Content-Type with a charset parameter',
    step: (_v, f) => ({
      label: 'charset-param',
      contentType: f ? f.helpers.arrayElement(CHARSET_SPELLINGS) : 'application/json; charset=utf-8',
    }),
  },
  {
    name: 'media-type-case',
    rule: 'wire.equivalent_http',
    what: 'the media type and its parameter in other letter case',
    step: () => ({ label: 'media-type-case', contentType: 'Application/JSON; Charset=UTF-8' }),
  },
  {
    name: 'header-names-lower',
    rule: 'wire.equivalent_http',
    what: 'header names in lower case',
    step: () => ({ label: 'header-names-lower', headerNames: 'lower' }),
  },
  {
    name: 'header-names-upper',
    rule: 'wire.equivalent_http',
    what: 'header names in upper case',
    step: () => ({ label: 'header-names-upper', headerNames: 'upper' }),
  },
];
