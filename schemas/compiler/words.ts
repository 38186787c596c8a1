// Constraints stated in words inside one sentence: lengths, item counts, integer ranges, allowed values,
// defaults and list formats. Each function is one family of sentence shapes and returns undefined when
// the sentence is not of that family.

const DASH = '(?:to|[-–—])';
const NUM = '(-?\\d+(?:\\.\\d+)?)';

/** "3 to 64 characters", "(max. 64 characters)", "a maximum of 255 characters", "at least 8 characters". */
export function lengthIn(text: string): { min?: number; max?: number } | undefined {
  let m = new RegExp(`\\b(\\d+)\\s*${DASH}\\s*(\\d+) characters\\b`, 'i').exec(text);
  if (m) return { min: Number(m[1]), max: Number(m[2]) };
  m = /(?:\(max\.\s*|\b(?:a maximum of|at most|up to|no more than|cannot exceed|max\.)\s+)(\d+) characters\b/i.exec(
    text,
  );
  if (m) return { max: Number(m[1]) };
  m = /\b(?:a minimum of|at least|no less than|min\.)\s+(\d+) characters\b/i.exec(text);
  if (m) return { min: Number(m[1]) };
  return undefined;
}

/** "The value ranges from 1 to 65535", "The value range is 1–500", "Value range: 0–100", "between 1 and 10". */
export function rangeIn(text: string): { min?: number; max?: number } | undefined {
  const shapes = [
    new RegExp(`\\branges? from ${NUM}\\s*${DASH}\\s*${NUM}(?!\\s*characters)`, 'i'),
    new RegExp(`\\b(?:value )?range(?: is|:)\\s*${NUM}\\s*${DASH}\\s*${NUM}(?!\\s*characters)`, 'i'),
    new RegExp(`\\bbetween ${NUM} and ${NUM}(?!\\s*characters)`, 'i'),
  ];
  for (const re of shapes) {
    const m = re.exec(text);
    if (m) return { min: Number(m[1]), max: Number(m[2]) };
  }
  // "The value cannot exceed 100.", "The maximum value is 100.", "The minimum value is 1." (the whole sentence)
  let m = new RegExp(`^(?:The )?(?:value )?(?:cannot|can't|must not) exceed ${NUM}\\.?$`, 'i').exec(text.trim());
  if (m) return { max: Number(m[1]) };
  m = new RegExp(`^(?:The )?(maximum|minimum) value is ${NUM}\\.?$`, 'i').exec(text.trim());
  if (m) return m[1].toLowerCase() === 'maximum' ? { max: Number(m[2]) } : { min: Number(m[2]) };
  return undefined;
}

/** "specify 1 to 10 IDs", "A maximum of 10 IDs can be specified", "up to 100 IP addresses". */
export function countIn(text: string): { min?: number; max?: number; things: string } | undefined {
  return countsIn(text)[0];
}

/** Every item count of a sentence ("add 1 to 5 members ... and specify 1 to 10 IDs" states two). */
export function countsIn(text: string): { min?: number; max?: number; things: string }[] {
  const thing = '([A-Za-z][A-Za-z ]*?)(?=[.,;]|$| can| are| is| and| or| must)';
  const shapes: [RegExp, (m: RegExpExecArray) => { min?: number; max?: number; things: string }][] = [
    [
      new RegExp(
        `\\b(?:specify|contains?|enter|select|add|provide|include)\\s+(\\d+)\\s*${DASH}\\s*(\\d+)\\s+(?!characters\\b)${thing}`,
        'gi',
      ),
      (m) => ({ min: Number(m[1]), max: Number(m[2]), things: m[3] }),
    ],
    [
      new RegExp(`\\b(?:a maximum of|at most|up to|no more than)\\s+(\\d+)\\s+(?!characters\\b)${thing}`, 'gi'),
      (m) => ({ max: Number(m[1]), things: m[2] }),
    ],
    [
      new RegExp(`\\b(?:a minimum of|at least)\\s+(\\d+)\\s+(?!characters\\b)${thing}`, 'gi'),
      (m) => ({ min: Number(m[1]), things: m[2] }),
    ],
  ];
  return shapes.flatMap(([re, of]) => [...text.matchAll(re)].map((m) => of(m as RegExpExecArray)));
}

// A value as written in running text: "TLSv1.2", "HTTP", "V2", "2", "round-robin" (not an English word).
const VALUE = String.raw`["'“]?(?![A-Z][a-z]+\b)([A-Za-z0-9_.:/-]*[A-Z0-9][A-Za-z0-9_.:/-]*|[a-z][a-z0-9]*_[a-z0-9_]*)["'”]?`;
// A plain lower-case word ("ecs", "http"): a value only where the words say it is one.
const WORD_VALUE = `["'“]?([a-z][a-z0-9]*)["'”]?`;
// Tokens that name a form rather than a value: "GET/POST", "Base64-encoded", "2xx", "UTF-8-based".
const NOT_A_VALUE = /\/|-[a-z]{2,}$|^\d+x+$/;

const tokensOf = (list: string, value: string) =>
  list
    .split(/\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+/)
    .map((v) => new RegExp(`^${value}$`).exec(v.trim().replace(/\.$/, ''))?.[1])
    .map((v) => (v === undefined || NOT_A_VALUE.test(v) ? undefined : v));

/** A list of values: every token a value (or, where `words`, a plain word), or undefined. */
function valuesIn(list: string, words: boolean): string[] | undefined {
  const plain = words ? tokensOf(list, WORD_VALUE) : [];
  const found = tokensOf(list, VALUE).map((v, i) => v ?? plain[i]);
  return found.length > 0 && found.every((v) => v !== undefined) ? (found as string[]) : undefined;
}

/**
 * "TLSv1.1 and TLSv1.2 are supported.", "Only IPV4 is supported.", "The value can be V1 or V2.",
 * "Possible values are HTTP, HTTPS and TCP.", "The value is ip or ecs.". A single value after "must be"
 * ("The value must be JSON.") names a form as often as a value: not read, so it goes to review.
 */
export function allowedValuesIn(text: string): string[] | undefined {
  const t = text.trim();
  const shapes: [RegExp, { words?: boolean; several?: boolean }][] = [
    [/^(?:(?:Currently|At present),\s+)?(?:only\s+)?(.+?) (?:is|are) supported\.?$/i, {}],
    [
      /^(?:The )?(?:value|options?) (?:can only be|must be one of|is fixed (?:at|to))\s*:?\s+(?:either\s+)?(.+?)\.?$/i,
      {},
    ],
    [/^(?:The )?(?:value|options?) (?:can be|must be|are)\s*:?\s+(?:either\s+)?(.+?)\.?$/i, { several: true }],
    [/^(?:The )?value is (?:either\s+)?(.+?)\.?$/i, { words: true, several: true }],
    [/^(?:Options|Possible values|Enumeration values|Values|Value options)(?::| are)\s*(.+?)\.?$/i, { words: true }],
  ];
  for (const [re, o] of shapes) {
    const m = re.exec(t);
    if (!m) continue;
    const found = valuesIn(m[1], o.words === true);
    if (found && (!o.several || found.length > 1)) return found;
  }
  return undefined;
}

/**
 * "The default value is 20.", "Default value: 20", "The value 2 is returned by default.", "V1 is used by
 * default.", "The value defaults to HTTP.", "(default: HTTPS)". `word`: a plain lower-case word ("ecs"),
 * a value only when the row lists it.
 */
export function defaultIn(text: string): { value: string; word: boolean } | undefined {
  // No "i" flag: VALUE tells a value from an English word by its capitals.
  const shapes = [
    '^(?:[Tt]he )?[Dd]efault value is X\\.?$',
    '^[Dd]efault value:\\s*X\\.?$',
    '^(?:[Tt]he )?(?:value )?X is (?:returned|used|applied|taken) by default\\.?$',
    '^(?:[Tt]he )?(?:value )?defaults to X\\.?$',
    '\\([Dd]efault(?: value)?:? X\\)',
  ];
  const t = text.trim().replace(/\.$/, '');
  for (const shape of shapes) {
    const m = new RegExp(shape.replace('X', VALUE)).exec(t);
    if (m && !NOT_A_VALUE.test(m[1])) return { value: m[1], word: false };
    const w = new RegExp(shape.replace('X', WORD_VALUE)).exec(t);
    if (w) return { value: w[1], word: true };
  }
  return undefined;
}

/** "Separate multiple objects with commas.", "Use commas (,) to separate multiple values.", "separated by semicolons". */
export function listFormatIn(text: string): string | undefined {
  const m =
    /\bseparate (?:multiple |several |the )?[\w ]*?with (commas?|semicolons?)\b/i.exec(text) ??
    /\buse (commas?|semicolons?) (?:\([,;]\) )?to separate\b/i.exec(text) ??
    /\bseparated by (commas?|semicolons?)\b/i.exec(text) ??
    /\b(comma|semicolon)-separated\b/i.exec(text);
  if (!m) return undefined;
  return /^comma/i.test(m[1]) ? ',' : ';';
}

/** Words that say something about values even when no shape reads them (so they reach review). */
export const NUMERIC_WORDS =
  /\b\d+\s*(?:to|[-–—])\s*\d+\b|\bcharacters?\b|\b(?:maximum|minimum) (?:of|value)\b|\bdefaults?\b(?!,)|\bby default\b(?!,)|\bseparated?\b|\b(?:are|is) (?:supported|allowed)\.?$|\bstart(?:s|ing)? with\b|\bcannot\b|\bexceed|\bnot allowed\b|\bpossible values\b|^only\b|\bonly\.?$/i;
