// Charset sentences ("Only letters, digits, hyphens (-), and underscores (_) are allowed. The value must
// start with a letter.") read exactly or not at all: every item of the list and of the first-character
// rule must be understood, and the pattern built from them is tested on characters the sentence allows
// and forbids before it is emitted. Anything else is a reason for review.

/** Code point ranges, inclusive. */
export type Ranges = [number, number][];

export interface CharsetReading {
  rest?: Ranges; // the characters allowed (undefined: the words name no set)
  first?: Ranges; // the characters allowed first, when a rule names them
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
  /\(max\. \d+ characters\)|\b\d+\s*(?:to|[-–—])\s*\d+ characters\b|\ba (?:maximum|minimum) of \d+ characters\b/gi;
const CHAR_WORD =
  /\b(letters?|digits?|characters?|hyphens?|underscores?|periods?|dots?|slashes|spaces?|colons?|parentheses)\b/i;
const LIST_START =
  /\b(?:only|can (?:only )?(?:contain|include)(?: only)?|contains? only|including|consists? (?:only )?of|allowed characters(?: are|:)?)\s+/i;
const LIST_END =
  /\s+(?:are|is) (?:allowed|supported|permitted)\b|;|,?\s+(?:and\s+)?(?:must|should|cannot|can't|starting|beginning|start|begin)\b|\.\s*$/i;
const FIRST = /\b(?:must start|must begin|starting|beginning|start|begin)s? with\s+(.+?)(?:\.|;|,|$)/i;
const NEGATIVE = /\b(?:cannot|can't|must not|should not|not) (?:start|begin|end|contain)|\bend(?:s|ing)? with\b/i;

/**
 * The character set and first-character rule a sentence states. undefined: it states none; a string:
 * it states one the compiler cannot read exactly (the reason for review).
 */
export function readCharset(sentence: string): CharsetReading | string | undefined {
  const text = sentence.replace(LENGTHS, '').replace(/\s+,/g, ',');
  const out: CharsetReading = {};
  const start = LIST_START.exec(text);
  if (start) {
    const after = text.slice(start.index + start[0].length);
    const end = LIST_END.exec(after);
    const list = (end ? after.slice(0, end.index) : after).replace(/^[,\s]+|[,\s]+$/g, '');
    if (list && CHAR_WORD.test(list)) {
      const ranges = listRanges(list);
      if (!ranges) return `a character list the compiler cannot read exactly: "${list}"`;
      out.rest = ranges;
    }
  }
  const first = FIRST.exec(text);
  if ((first || out.rest) && NEGATIVE.test(text))
    return 'a rule on the characters that the compiler does not turn into a pattern';
  if (first) {
    const ranges = listRanges(first[1]);
    if (!ranges) return `a first-character rule the compiler cannot read exactly: "${first[1]}"`;
    out.first = ranges;
  }
  return out.rest === undefined && out.first === undefined ? undefined : out;
}

const within = (ranges: Ranges | undefined, ch: string) =>
  ranges === undefined || ranges.some(([lo, hi]) => cp(ch) >= lo && cp(ch) <= hi);

/** The ends of every range and the characters just outside them, then characters of every kind. */
function probes(reading: CharsetReading): string[] {
  const ends = [...(reading.rest ?? []), ...(reading.first ?? [])]
    .flatMap(([lo, hi]) => [lo - 1, lo, hi, hi + 1])
    .filter((n) => n > 0);
  const kinds = '!" #$%&\'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~\t\u00e9\u4e00\u9fa5\u4dff\u{1f600}';
  return [...new Set([...ends.map((n) => String.fromCodePoint(n)), ...kinds])];
}

/**
 * The pattern of a reading, shown first to accept every character the words allow and to reject
 * every probe they do not, in the first position and after it. Throws when the two disagree (a
 * compiler bug: the pattern is then not emitted).
 */
export function charsetPattern(reading: CharsetReading): string {
  const rest = reading.rest ? classBody(reading.rest) : '\\s\\S';
  const pattern = reading.first ? `^[${classBody(reading.first)}][${rest}]*$` : `^[${rest}]*$`;
  const re = new RegExp(pattern, 'u');
  const lead = probes(reading).find((ch) => within(reading.first ?? reading.rest, ch)) ?? 'a';
  for (const ch of probes(reading)) {
    const okFirst = within(reading.first ?? reading.rest, ch);
    if (re.test(ch) !== okFirst || re.test(`${lead}${ch}`) !== within(reading.rest, ch))
      throw new Error(`the pattern ${pattern} does not say what the words say about ${JSON.stringify(ch)}`);
  }
  return pattern;
}
