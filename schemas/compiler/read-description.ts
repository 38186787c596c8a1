// Turns the words of one table row's Description cell into constraints. Each recognizer is one
// sentence shape; a sentence that sounds like a rule but matches no shape goes to human review.

import type { PageLine, Row } from './parse-page.ts';

export interface Worded<T> {
  value: T;
  text: string; // the page's words that state it
  line: number;
}

/** "timeout must be less than time_interval": both sides are parameters of the same table. */
export interface LtRule {
  kind: 'lt';
  self: string;
  other: string;
  text: string;
  line: number;
}

/**
 * "required if protocol is set to http", "mandatory when the backend instance type is ECS": the
 * subject is the words naming the condition's field (a parameter name, or words an errata entry maps).
 */
export interface RequiredIfRule {
  kind: 'requiredIf';
  self: string;
  subject: string;
  equals: string[]; // the values, as written
  text: string;
  line: number;
}

export type CrossRule = LtRule | RequiredIfRule;

export interface Reading {
  summary: string; // the first sentence, for provenance
  minimum?: Worded<number>; // "Minimum: N" line
  maximum?: Worded<number>;
  default?: Worded<string>; // raw; typed by the compiler
  enum?: Worded<string[]>; // raw tokens; typed by the compiler
  wordsLength?: { min?: number; max?: number; text: string; line: number }; // "3 to 64 characters", "(max. 64 characters)"
  wordsRange?: Worded<[number, number]>; // "ranges from 1 to 65535"
  charset?: Worded<string>; // a regex character-class body: "A-Za-z0-9_-"
  firstChar?: Worded<string>; // a regex character-class body
  integerList?: Worded<{ lo: number; hi: number; ranges: boolean; lists: boolean }>; // http_code's grammar
  cross: CrossRule[];
  review: { text: string; line: number; why: string }[];
}

const RULE_WORDS =
  /\b(valid only when|valid when|mandatory when|required when|required if|available only when|must|(is|are) required|(is|are) mandatory|not supported|to be supported)\b/i;
const BULLET = /^[•·*-]\s*/;

/** Splits a cell line into sentences without breaking "max. 64" or "e.g. x". */
function sentences(line: PageLine): PageLine[] {
  return line.text
    .split(/(?<=[.!?])\s+(?=[A-Z])/)
    .map((text) => ({ no: line.no, text: text.trim() }))
    .filter((s) => s.text.length > 0);
}

const CHAR_WORDS: [RegExp, string][] = [
  [/\bletters\b/i, 'A-Za-z'],
  [/\bdigits\b/i, '0-9'],
  [/\bhyphens? \(-\)/i, '-'],
  [/\bunderscores? \(_\)/i, '_'],
  [/\bperiods? \(\.\)/i, '.'],
  [/\bspaces?\b/i, ' '],
];

/** "letters, digits, hyphens (-), and underscores (_)" -> "A-Za-z0-9_-" (hyphen last, so it is literal). */
function charsetOf(text: string): string | undefined {
  if (!/\b(allowed|can contain|can include|consists? of)\b/i.test(text) || !/\bletters\b/i.test(text)) return undefined;
  let set = '';
  let hyphen = false;
  for (const [re, chars] of CHAR_WORDS) {
    if (!re.test(text)) continue;
    if (chars === '-') hyphen = true;
    else set += chars === '.' ? '.' : chars;
  }
  const special = /special characters \(([^)]+)\)/i.exec(text);
  if (special) {
    for (const ch of special[1]) {
      if (ch === '-') hyphen = true;
      else if (!set.includes(ch)) set += ch;
    }
  }
  return set + (hyphen ? '-' : '');
}

/** A sentence that sounds like a rule (used for text outside tables too). */
export function soundsLikeRule(text: string): boolean {
  return RULE_WORDS.test(text);
}

export function readDescription(row: Row): Reading {
  const reading: Reading = { summary: '', cross: [], review: [] };
  const bullets: PageLine[] = [];
  const prose: PageLine[] = [];
  for (const line of row.description) {
    if (BULLET.test(line.text)) bullets.push({ no: line.no, text: line.text.replace(BULLET, '') });
    else prose.push(line);
  }

  // Bullets are an enum when every one is a bare token, "token: label" or "token (note)".
  const ENUM_ITEM = /^([A-Za-z0-9_.]+)(?::\s+.+|\s+\(.+\))?$/;
  const proseFromBullets: PageLine[] = [];
  if (bullets.length > 0 && bullets.every((b) => ENUM_ITEM.test(b.text))) {
    reading.enum = {
      value: bullets.map((b) => ENUM_ITEM.exec(b.text)![1]),
      text: bullets.map((b) => b.text).join('; '),
      line: bullets[0].no,
    };
    for (const b of bullets)
      if (RULE_WORDS.test(b.text))
        reading.review.push({
          text: b.text,
          line: b.no,
          why: 'a note on an enum value that the compiler does not turn into a rule',
        });
  } else {
    proseFromBullets.push(...bullets);
  }

  const all = [...prose, ...proseFromBullets].sort((a, b) => a.no - b.no);
  const ownText = [...prose.flatMap(sentences)];
  reading.summary = ownText[0]?.text ?? row.description[0].text;

  for (const line of all) {
    const m = /^(Minimum|Maximum|Default):\s*(.+)$/.exec(line.text);
    if (m) {
      const worded = { text: line.text, line: line.no };
      if (m[1] === 'Default') reading.default = { value: m[2].trim(), ...worded };
      else {
        if (!/^-?\d+$/.test(m[2].trim()))
          throw new Error(
            `page line ${line.no}: expected a whole number after "${m[1]}:", got ${JSON.stringify(m[2])}`,
          );
        reading[m[1] === 'Minimum' ? 'minimum' : 'maximum'] = { value: Number(m[2]), ...worded };
      }
      continue;
    }
    for (const s of sentences(line)) readSentence(s, row, reading, bullets);
  }
  return reading;
}

function readSentence(s: PageLine, row: Row, reading: Reading, bullets: PageLine[]): void {
  const t = s.text;
  let read = false;
  const worded = { text: t, line: s.no };

  let m = /string of (\d+) to (\d+) characters/i.exec(t);
  if (m) {
    reading.wordsLength = { min: Number(m[1]), max: Number(m[2]), ...worded };
    read = true;
  }
  m = /\(max\. (\d+) characters\)/i.exec(t);
  if (m) {
    reading.wordsLength = { max: Number(m[1]), ...worded };
    read = true;
  }
  m = /ranges from (-?\d+) to (-?\d+)/i.exec(t);
  if (m) {
    reading.wordsRange = { value: [Number(m[1]), Number(m[2])], ...worded };
    read = true;
  }
  const charset = charsetOf(t);
  if (charset) {
    reading.charset = { value: charset, ...worded };
    read = true;
  }
  if (/must start with an? (English )?letter/i.test(t)) {
    reading.firstChar = { value: 'A-Za-z', ...worded };
    read = true;
  }
  m = /any integer within (\d+)\s*[–-]\s*(\d+) in one of the following formats/i.exec(t);
  if (m) {
    const bulletText = bullets.map((b) => b.text).join(' ');
    reading.integerList = {
      value: {
        lo: Number(m[1]),
        hi: Number(m[2]),
        lists: /multiple values/i.test(bulletText),
        ranges: /\brange\b/i.test(bulletText),
      },
      text: [t, ...bullets.map((b) => b.text.split(/(?<=\.)\s+(?=[A-Z])/)[0])].join(' '),
      line: s.no,
    };
    read = true;
  }
  m = /must be less than (?:the value of |that of )?([a-z][a-z0-9_]*)/i.exec(t);
  if (m) {
    reading.cross.push({ kind: 'lt', self: row.parameter, other: m[1], ...worded });
    read = true;
  }
  m = /must be greater than (?:the value of |that of )?([a-z][a-z0-9_]*)/i.exec(t);
  if (m) {
    reading.cross.push({ kind: 'lt', self: m[1], other: row.parameter, ...worded });
    read = true;
  }
  const conditional = requiredIfOf(t);
  if (conditional) {
    reading.cross.push({ kind: 'requiredIf', self: row.parameter, ...conditional, ...worded });
    read = true;
  }
  // Example bullets of a grammar ("Range, for example, 200-299") are part of what was read above.
  if (!read && reading.integerList && /for example/i.test(t)) read = true;
  if (!read && RULE_WORDS.test(t))
    reading.review.push({ ...worded, why: 'sounds like a rule, but no recognizer reads it' });
}

// "(This parameter) is required if X is set to Y", "is mandatory when X is Y", "Required when X is Y or Z".
const REQUIRED_IF =
  /(?:^|\b(?:is|are)\s+)(?:required|mandatory)\s+(?:only\s+)?(?:if|when)\s+(.+?)\s+(?:is|are)\s+(?:set\s+to\s+)?(.+?)\.?$/i;
const VALUE_WORD = /^["'“‘]?([A-Za-z0-9_.-]+)["'”’]?$/;

/** The subject words and the values of a conditional requirement, or undefined when the sentence is not one. */
function requiredIfOf(text: string): { subject: string; equals: string[] } | undefined {
  const m = REQUIRED_IF.exec(text);
  if (!m) return undefined;
  const values = m[2].split(/\s*,\s*(?:or\s+)?|\s+or\s+/).map((v) => VALUE_WORD.exec(v.trim())?.[1]);
  if (values.some((v) => v === undefined)) return undefined;
  return { subject: m[1].trim(), equals: values as string[] };
}
