// Secret redaction: the last line of defence before anything is written to disk.
//
// Every non-empty secret is redacted, however short. A very short secret (say "ab")
// will also blank out unrelated text that happens to contain it; we accept that noise
// because a leaked token is worse than an ugly report. Callers should pass real tokens.

import { escapeMdChars } from './markdown.ts';
import { escapeHtml } from './html-template.ts';

export const REDACTED = '[REDACTED]';

const jsonInner = (s: string): string => JSON.stringify(s).slice(1, -1);

/** The spellings under which a secret can show up in a report file. */
function secretForms(secret: string): string[] {
  const pct = encodeURIComponent(secret);
  const json = jsonInner(secret);
  const slashed = json.replace(/\//g, '\\/');
  const xmlText = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return [
    secret,
    json, // inside a JSON string
    jsonInner(json), // a JSON body quoted again inside conformance.json
    slashed, // serializers that escape "/" as "\/"
    jsonInner(slashed),
    pct, // query strings, form bodies
    pct.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()), // lower-case hex is legal too
    pct.replace(/%20/g, '+'), // application/x-www-form-urlencoded
    encodeURI(secret), // a secret inside a whole URL
    xmlText, // junit.xml text nodes
    xmlText.replace(/"/g, '&quot;'), // junit.xml attributes
    escapeMdChars(secret), // prose in conformance.md
    escapeHtml(secret), // conformance.html
  ];
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One regex for all forms; longest first so a longer form wins over a prefix of it. */
function secretPattern(secrets: string[]): RegExp | null {
  const forms = [...new Set(secrets.filter((s) => s.length > 0).flatMap(secretForms))];
  if (forms.length === 0) return null;
  forms.sort((a, b) => b.length - a.length);
  // The marker itself is matched first and kept, so redacting twice changes nothing.
  return new RegExp([escapeRegExp(REDACTED), ...forms.map(escapeRegExp)].join('|'), 'g');
}

/** Replace every occurrence of each non-empty secret (raw, URL-encoded, JSON-, XML- and Markdown-escaped) with [REDACTED]. */
export function redact(text: string, secrets: string[]): string {
  const pattern = secretPattern(secrets);
  return pattern ? text.replace(pattern, REDACTED) : text;
}

/** Redact every string in a JSON-like value, object keys included. Returns a copy (the input itself if there are no secrets). */
// Fields that hold the tool's own vocabulary (outcomes, suites, rule ids, check names), never what a
// user or a target sent: the renderers group and count by them.
const VOCABULARY = new Set([
  'outcome',
  'suite',
  'kind',
  'verdict',
  'check',
  'ruleId',
  'rules',
  'id',
  'effect',
  'status',
  'table',
  'parameter',
  'schemaVersion',
]);

export function redactDeep<T>(value: T, secrets: string[], keys: 'all' | 'headers' = 'all'): T {
  const pattern = secretPattern(secrets);
  if (!pattern) return value;
  // keys 'headers': only the names in a headers map are data; the report's own field names are
  // structure, which a short secret (a letter) must not rename.
  const walk = (v: unknown, dataKeys: boolean, key = ''): unknown => {
    if (typeof v === 'string') return keys === 'headers' && VOCABULARY.has(key) ? v : v.replace(pattern, REDACTED);
    if (Array.isArray(v)) return v.map((x) => walk(x, false, key));
    if (v !== null && typeof v === 'object') {
      // Two keys that redact to the same text collapse into one; the later one wins.
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [
          dataKeys ? k.replace(pattern, REDACTED) : k,
          walk(x, keys === 'all' || k === 'headers', k),
        ]),
      );
    }
    return v;
  };
  return walk(value, keys === 'all') as T;
}
