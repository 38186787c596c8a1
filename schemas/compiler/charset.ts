// Charset sentences ("Only letters, digits, hyphens (-), and underscores (_) are allowed. The value must
// start with a letter.") read exactly or not at all: every item of the list and of the first-character
// rule must be understood, and the pattern built from them is tested on characters the sentence allows
// and forbids before it is emitted. Anything else is a reason for review.

/** Code point ranges, inclusive. */
export type Ranges = [number, number][];

export interface CharsetReading {
  rest?: Ranges; // the characters allowed (undefined: the words name no set)
  first?: Ranges; // the characters allowed first, when a rule names them
  last?: Ranges; // the characters allowed last
  notFirst?: Ranges; // "cannot start with a digit": taken out of `rest` for the first character
  notLast?: Ranges;
}

const cp = (ch: string) => ch.codePointAt(0)!;
const span = (a: string, b: string): [number, number] => [cp(a), cp(b)];
const LETTERS: Ranges = [span('A', 'Z'), span('a', 'z')];

const CLASSES: [RegExp, Ranges][] = [
  [/^(?:upper-?case|capital) (?:English )?letters?$/i, [span('A', 'Z')]],
  [/^lower-?case (?:English )?letters?$/i, [span('a', 'z')]],
  [/^(?:an? )?(?:English )?letters?$/i, LETTERS],
  [/^(?:an? )?(?:digits?|numbers?)$/i, [span('0', '9')]],
  [/^(?:an? )?Chinese characters?$/i, [[0x4e00, 0x9fa5]]],
  [/^(?:an? )?spaces?$/i, [span(' ', ' ')]],
];

const PUNCTUATION: Record<string, string> = {
  hyphen: '-',
  underscore: '_',
  period: '.',
  dot: '.',
  slash: '/',
  backslash: '\\',
  colon: ':',
  comma: ',',
  parenthes: '()',
  'at sign': '@',
  'plus sign': '+',
  'equal sign': '=',
  'equals sign': '=',
  asterisk: '*',
  ampersand: '&',
  'number sign': '#',
  'percent sign': '%',
  tilde: '~',
};

const literal = (chars: string): Ranges => [...chars].map((c) => [cp(c), cp(c)]);

/** One item of a character list: its characters, or undefined when it is not understood. */
function itemRanges(item: string): Ranges | undefined {
  const text = item.replace(/^(?:and|or)\s+/i, '').trim();
  for (const [re, ranges] of CLASSES) if (re.test(text)) return ranges;
  const m = /^(?:an? )?([a-z][a-z -]*?)(?:\s*\(([^)\sA-Za-z0-9]+)\))?$/i.exec(text);
  if (!m) return undefined;
  const name = m[1].toLowerCase().trim();
  if (/^special characters?$/.test(name)) return m[2] === undefined ? undefined : literal(m[2]); // "(-_)" says which
  const known = [name, name.replace(/s$/, ''), name.replace(/es$/, '')].map((n) => PUNCTUATION[n]).find(Boolean);
  if (!known) return undefined;
  if (m[2] !== undefined && m[2] !== known) return undefined; // "hyphens (_)": the words disagree
  return literal(known);
}

/** "letters, digits, hyphens (-), and underscores (_)" -> the ranges, or undefined when an item is not understood. */
function listRanges(list: string): Ranges | undefined {
  const items = list
    .split(/\s*,\s*|\s+(?:and|or)\s+/i)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const ranges = items.map(itemRanges);
  if (items.length === 0 || ranges.some((r) => r === undefined)) return undefined;
  return (ranges as Ranges[]).flat();
}

const escapeChar = (n: number) => {
  const ch = String.fromCodePoint(n);
  if (n > 0x7e || n < 0x20) return `\\u${n.toString(16).padStart(4, '0')}`;
  return /[\\\]^[]/.test(ch) ? `\\${ch}` : ch;
};

/** The ranges as one character-class body, in the page's order, a literal hyphen last. */
export function classBody(ranges: Ranges): string {
  const parts: string[] = [];
  let hyphen = false;
  for (const [lo, hi] of ranges) {
    if (lo === cp('-') && hi === lo) hyphen = true;
    else {
      const part = lo === hi ? escapeChar(lo) : `${escapeChar(lo)}-${escapeChar(hi)}`;
      if (!parts.includes(part)) parts.push(part);
    }
  }
  return parts.join('') + (hyphen ? '-' : '');
}

const LENGTHS =
  /\(max\. \d+ characters\)|\b\d+\s*(?:to|[-–—])\s*\d+ characters\b|\b(?:a (?:maximum|minimum) of|cannot exceed|up to|at most|at least) \d+ characters\b/gi;
const CHAR_WORD =
  /\b(letters?|digits?|characters?|hyphens?|underscores?|periods?|dots?|slashes|spaces?|colons?|parentheses)\b/i;
/** A sentence about the characters of a value (when nothing reads it, a pattern would say less than it). */
export const CHAR_SENTENCE = new RegExp(
  `${CHAR_WORD.source}|\\b(?:start|begin|end)s? with\\b|\\b(?:first|last) character\\b`,
  'i',
);
/** Words that say something about characters: a charset sentence holding one must be read fully. */
export const CHAR_RULE =
  /\b(?:letters?|digits?|characters?|hyphens?|underscores?|periods?|dots?|slashes|spaces?|colons?|parenthes[ie]s|symbols?|first|last|start(?:s|ing)?|begin(?:s|ning)?|end(?:s|ing)?|cannot|can't|must not|not allowed|consecutive)\b/i;
const LIST_START =
  /\b(?:only|can (?:only )?(?:contain|include)(?: only)?|contains? only|including|consists? (?:only )?of|allowed characters(?: are|:)?)\s+|^(?:use|enter)\s+/i;
const LIST_END =
  /\s+(?:are|is) (?:allowed|supported|permitted)\b|\s+only\b|;|,?\s+(?:and\s+)?(?:must|should|cannot|can't|starting|beginning|start|begin|it|the)\b|\.\s*$/i;
// "Letters, digits, and underscores are allowed.", "Letters, digits, and underscores only."
const LIST_ALONE = /^(?:[A-Z][a-z]*)(?:[^.;]*?)(?=\s+(?:are|is) (?:allowed|supported|permitted)\b|\s+only\.?$)/;

type Clause = { re: RegExp; into: 'first' | 'last' | 'notFirst' | 'notLast'; also?: 'last' | 'notLast' };
// Each first/last-character rule, with the list of characters it names in group 1.
const CLAUSES: Clause[] = [
  { re: /\b(?:must|should) (?:start|begin) and end with\s+(.+?)(?=\.|;|,|$)/i, into: 'first', also: 'last' },
  {
    re: /\b(?:cannot|can't|must not|should not) (?:start|begin) or end with\s+(.+?)(?=\.|;|,|$)/i,
    into: 'notFirst',
    also: 'notLast',
  },
  { re: /\b(?:cannot|can't|must not|should not) (?:start|begin) with\s+(.+?)(?=\.|;|,|$)/i, into: 'notFirst' },
  { re: /\b(?:cannot|can't|must not|should not) end with\s+(.+?)(?=\.|;|,|$)/i, into: 'notLast' },
  { re: /\bthe first character (?:cannot|can't|must not) be\s+(.+?)(?=\.|;|,|$)/i, into: 'notFirst' },
  { re: /\bthe last character (?:cannot|can't|must not) be\s+(.+?)(?=\.|;|,|$)/i, into: 'notLast' },
  { re: /\bthe first character (?:must|should) be\s+(.+?)(?=\.|;|,|$)/i, into: 'first' },
  { re: /\bthe last character (?:must|should) be\s+(.+?)(?=\.|;|,|$)/i, into: 'last' },
  { re: /\b(?:must end|end(?:s|ing)?) with\s+(.+?)(?=\.|;|,|$)/i, into: 'last' },
  { re: /\b(?:must start|must begin|starting|beginning|start|begin)s? with\s+(.+?)(?=\.|;|,|$)/i, into: 'first' },
];

/** The character list of a sentence, and the span it takes (so the rest can be checked for unread words). */
function listOfSentence(text: string): { list: string; from: number; to: number } | undefined {
  const start = LIST_START.exec(text);
  if (!start) {
    const alone = LIST_ALONE.exec(text);
    const isList = alone && CHAR_WORD.test(alone[0]) && !/^(?:It|The|This|A|An)\b/.test(alone[0]);
    return isList ? { list: alone[0], from: 0, to: alone[0].length } : undefined;
  }
  const from = start.index + start[0].length;
  const after = text.slice(from);
  const end = LIST_END.exec(after);
  const raw = end ? after.slice(0, end.index) : after;
  const list = raw.replace(/^[,\s]+|[,\s]+$/g, '');
  return list && CHAR_WORD.test(list) ? { list, from: start.index, to: from + raw.length } : undefined;
}

/**
 * The character set and first/last-character rules a sentence states. undefined: it states none; a
 * string: it states one the compiler cannot read exactly (the reason for review). Read means every
 * word about characters in the sentence was part of a list or rule that was understood.
 */
export function readCharset(sentence: string): CharsetReading | string | undefined {
  let text = sentence.replace(LENGTHS, '').replace(/\s+,/g, ',');
  const out: CharsetReading = {};
  const found = listOfSentence(text);
  if (found) {
    const ranges = listRanges(found.list);
    if (!ranges) return `a character list the compiler cannot read exactly: "${found.list}"`;
    out.rest = ranges;
    text = `${text.slice(0, found.from)} ${text.slice(found.to)}`;
  }
  for (const c of CLAUSES) {
    const m = c.re.exec(text);
    if (!m) continue;
    const ranges = listRanges(m[1].replace(/^(?:an?|the)\s+/i, ''));
    if (!ranges) return `a first- or last-character rule the compiler cannot read exactly: "${m[1]}"`;
    for (const k of [c.into, c.also]) if (k) out[k] = ranges;
    text = text.replace(m[0], ' ');
  }
  if (Object.keys(out).length === 0) return undefined;
  const left = CHAR_RULE.exec(text);
  if (left) return `a rule on the characters that the compiler does not read exactly ("${left[0]}")`;
  return out;
}

const within = (ranges: Ranges | undefined, ch: string) =>
  ranges === undefined || ranges.some(([lo, hi]) => cp(ch) >= lo && cp(ch) <= hi);

/** `a` without the code points of `b`, in `a`'s order. */
function subtract(a: Ranges, b: Ranges): Ranges {
  let out = a;
  for (const [blo, bhi] of b)
    out = out.flatMap(([lo, hi]): Ranges => {
      if (bhi < lo || blo > hi) return [[lo, hi]];
      const parts: Ranges = [];
      if (lo < blo) parts.push([lo, blo - 1]);
      if (hi > bhi) parts.push([bhi + 1, hi]);
      return parts;
    });
  return out;
}

const inside = (a: Ranges, b: Ranges) => subtract(a, b).length === 0;
const intersect = (a: Ranges, b: Ranges) => subtract(a, subtract(a, b));

/** First and last sets in positive form ("cannot start with a digit" = the list without digits). */
function resolved(r: CharsetReading): { rest?: Ranges; first?: Ranges; last?: Ranges } | string {
  const { rest } = r;
  if ((r.notFirst || r.notLast) && !rest)
    return 'a rule on characters a value cannot start or end with, but no list of the characters it can contain';
  const first = r.notFirst ? subtract(r.first ?? rest!, r.notFirst) : r.first;
  const last = r.notLast ? subtract(r.last ?? rest!, r.notLast) : r.last;
  if (rest && ((first && !inside(first, rest)) || (last && !inside(last, rest))))
    return 'a first- or last-character rule that names characters the list does not allow';
  if ((first && first.length === 0) || (last && last.length === 0))
    return 'a first- or last-character rule that leaves no character';
  return { rest, first, last };
}

/** Whether the words allow `s` (every character in the set, the first and last in theirs). */
function allows(r: { rest?: Ranges; first?: Ranges; last?: Ranges }, s: string): boolean {
  const chars = [...s];
  if (chars.length === 0) return !r.first && !r.last;
  return (
    chars.every((ch) => within(r.rest, ch)) && within(r.first, chars[0]) && within(r.last, chars[chars.length - 1])
  );
}

/** The ends of every range and the characters just outside them, then characters of every kind. */
function probes(r: { rest?: Ranges; first?: Ranges; last?: Ranges }): string[] {
  const ends = [...(r.rest ?? []), ...(r.first ?? []), ...(r.last ?? [])]
    .flatMap(([lo, hi]) => [lo - 1, lo, hi, hi + 1])
    .filter((n) => n > 0);
  const kinds = '!" #$%&\'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~\t\u00e9\u4e00\u9fa5\u4dff\u{1f600}';
  return [...new Set([...ends.map((n) => String.fromCodePoint(n)), ...kinds])];
}

function patternOf(r: { rest?: Ranges; first?: Ranges; last?: Ranges }): string {
  const rest = r.rest ? classBody(r.rest) : '\\s\\S';
  if (!r.last) return r.first ? `^[${classBody(r.first)}][${rest}]*$` : `^[${rest}]*$`;
  if (!r.first) return `^[${rest}]*[${classBody(r.last)}]$`;
  const both = intersect(r.first, r.last);
  const longer = `[${classBody(r.first)}][${rest}]*[${classBody(r.last)}]`;
  return both.length ? `^(?:[${classBody(both)}]|${longer})$` : `^${longer}$`;
}

/**
 * The pattern of a reading, shown first to accept every string of probes the words allow and to reject
 * every one they do not (each probe first, in the middle and last). Throws when the words cannot make
 * one pattern (the reason for review) or when the two disagree (a compiler bug: no pattern then).
 */
export function charsetPattern(reading: CharsetReading): string {
  const r = resolved(reading);
  if (typeof r === 'string') throw new Error(r);
  const pattern = patternOf(r);
  const re = new RegExp(pattern, 'u');
  const all = probes(r);
  const lead = all.find((ch) => within(r.first ?? r.rest, ch)) ?? 'a';
  const mid = all.find((ch) => within(r.rest, ch)) ?? 'a';
  const tail = all.find((ch) => within(r.last ?? r.rest, ch) && within(r.rest, ch)) ?? 'a';
  for (const ch of all)
    for (const s of [ch, `${lead}${ch}`, `${ch}${tail}`, `${lead}${ch}${tail}`, `${lead}${mid}${ch}`])
      if (re.test(s) !== allows(r, s))
        throw new Error(`the pattern ${pattern} does not say what the words say about ${JSON.stringify(s)}`);
  return pattern;
}
