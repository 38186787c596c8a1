// Secret redaction: the last line of defence before anything is written to disk.
//
// A secret of SHORT_SECRET characters or more is replaced wherever it occurs, in any of the spellings
// a report can give it. A shorter one (a letter, a quote) would also match the tool's own words and
// templates ("not_conform[REDACTED]nt"), so it is replaced only where a whole value equals it (a
// header's value, a field); the run warns that it is matched that way.

import { escapeHtml, escapeMdChars } from './escape.ts';

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

/** Secrets shorter than this are matched as whole values only, never inside longer text. */
export const SHORT_SECRET = 8;

/** Replaces the secrets in one string value: a long one wherever it occurs, a short one if it is the whole value. */
type Redactor = ((text: string) => string) | null;

function redactorOf(secrets: string[]): Redactor {
  const given = secrets.filter((s) => s.length > 0);
  if (given.length === 0) return null;
  const whole = new Set(
    given.filter((s) => s.length < SHORT_SECRET).flatMap((s) => [...secretForms(s), JSON.stringify(s)]),
  );
  const forms = [...new Set(given.filter((s) => s.length >= SHORT_SECRET).flatMap(secretForms))];
  forms.sort((a, b) => b.length - a.length); // longest first, so a longer form wins over a prefix of it
  // The marker itself is matched first and kept, so redacting twice changes nothing.
  const pattern = forms.length ? new RegExp([escapeRegExp(REDACTED), ...forms.map(escapeRegExp)].join('|'), 'g') : null;
  return (text) => (whole.has(text) ? REDACTED : pattern ? text.replace(pattern, REDACTED) : text);
}

// A run redacts with the same secrets every time: the last redactor is kept (replace resets a global
// regex's lastIndex, so one pattern serves every call).
let last: { key: string; redactor: Redactor } | undefined;
function redactorFor(secrets: string[]): Redactor {
  const key = JSON.stringify(secrets);
  if (last?.key !== key) last = { key, redactor: redactorOf(secrets) };
  return last.redactor;
}

/**
 * Replace each non-empty secret (raw, URL-encoded, JSON-, XML- and Markdown-escaped) with [REDACTED]: every
 * occurrence of a secret of SHORT_SECRET characters or more; a shorter one only when it is the whole text.
 */
export function redact(text: string, secrets: string[]): string {
  const r = redactorFor(secrets);
  return r ? r(text) : text;
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
  const r = redactorFor(secrets);
  if (!r) return value;
  // keys 'headers': only the names in a headers map are data; the report's own field names are
  // structure, which a short secret (a letter) must not rename.
  const walk = (v: unknown, dataKeys: boolean, key = ''): unknown => {
    if (typeof v === 'string') return keys === 'headers' && VOCABULARY.has(key) ? v : r(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, false, key));
    if (v !== null && typeof v === 'object') {
      // Two keys that redact to the same text collapse into one; the later one wins.
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [dataKeys ? r(k) : k, walk(x, keys === 'all' || k === 'headers', k)]),
      );
    }
    return v;
  };
  return walk(value, keys === 'all') as T;
}
