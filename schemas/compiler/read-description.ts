// Turns the words of one table row's Description cell into constraints. Each recognizer is one
// sentence shape; a sentence that sounds like a rule but matches no shape goes to human review.

import { CHAR_SENTENCE, type CharsetReading, readCharset } from './charset.ts';
import { type PageLine, PageFormatError, type Row } from './parse-page.ts';
import { allowedValuesIn, countsIn, defaultIn, lengthIn, listFormatIn, NUMERIC_WORDS, rangeIn } from './words.ts';

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
  defaultWords?: Worded<string>; // a default in words that the "Default:" line contradicts
  enum?: Worded<string[]>; // raw tokens; typed by the compiler
  enumFrom?: 'bullets' | 'words';
  wordsLength: { min?: number; max?: number; text: string; line: number }[]; // "3 to 64 characters", "(max. 64 characters)"
  wordsRange: Worded<{ min?: number; max?: number }>[]; // "ranges from 1 to 65535", "cannot exceed 100"
  wordsCount: { min?: number; max?: number; text: string; line: number }[]; // "specify 1 to 10 IDs"
  charset?: Worded<CharsetReading>; // the characters allowed, and first
  charsetUnread?: boolean; // a sentence of the cell states a character rule the compiler cannot read
  listFormat?: Worded<string>; // the separator of a list written in one string
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

/** A sentence that sounds like a rule (used for text outside tables too). */
export function soundsLikeRule(text: string): boolean {
  return RULE_WORDS.test(text);
}

// An enum bullet: "VALUE", "N: label", "N：label" (full-width colon), "N - label", "VALUE: label" or "VALUE (gloss)".
const ENUM_ITEM = /^(-?[A-Za-z0-9_.]+(?:-[A-Za-z0-9_.]+)*)(?::\s+.+|\s*：\s*.+|\s+[-–—]\s+.+|\s+\(.+\))?$/;

/** Consecutive bullet lines, each run a list of its own (a paragraph may follow a list, and another list it). */
function bulletLists(row: Row): PageLine[][] {
  const lists: PageLine[][] = [];
  let previous = -2;
  row.description.forEach((line, i) => {
    if (!BULLET.test(line.text)) return;
    const item = { no: line.no, text: line.text.replace(BULLET, '') };
    if (previous === i - 1) lists[lists.length - 1].push(item);
    else lists.push([item]);
    previous = i;
  });
  return lists;
}

/** The enum the bullet lists state (lists of plain tokens); returns the bullets that are prose instead. */
function bulletEnum(row: Row, reading: Reading): PageLine[] {
  const lists = bulletLists(row);
  const enums = lists.filter((l) => l.every((b) => ENUM_ITEM.test(b.text)));
  const prose = lists.filter((l) => !enums.includes(l)).flat();
  // A list of values and sentences mixed: the sentences are read as prose, the values are for a human.
  for (const b of prose)
    if (ENUM_ITEM.test(b.text))
      reading.review.push({ text: b.text, line: b.no, why: 'a value in a bullet list that also holds sentences' });
  const sentencesOnly = prose.filter((b) => !ENUM_ITEM.test(b.text));
  if (enums.length === 0) return sentencesOnly;
  const valuesOf = (l: PageLine[]) => l.map((b) => ENUM_ITEM.exec(b.text)![1]);
  const first = valuesOf(enums[0]);
  if (enums.some((l) => valuesOf(l).join('\n') !== first.join('\n'))) {
    for (const l of enums)
      reading.review.push({
        text: l.map((b) => b.text).join('; '),
        line: l[0].no,
        why: 'two lists of values that disagree',
      });
    return sentencesOnly;
  }
  const bullets = enums[0];
  reading.enum = { value: first, text: bullets.map((b) => b.text).join('; '), line: bullets[0].no };
  reading.enumFrom = 'bullets';
  for (const b of enums.flat())
    if (RULE_WORDS.test(b.text))
      reading.review.push({
        text: b.text,
        line: b.no,
        why: 'a note on an enum value that the compiler does not turn into a rule',
      });
  return sentencesOnly;
}

export function readDescription(row: Row): Reading {
  const reading: Reading = { summary: '', wordsLength: [], wordsRange: [], wordsCount: [], cross: [], review: [] };
  const prose = row.description.filter((l) => !BULLET.test(l.text));
  const proseFromBullets = bulletEnum(row, reading);
  const bullets = bulletLists(row).flat();

  const all = [...prose, ...proseFromBullets].sort((a, b) => a.no - b.no);
  reading.summary = prose.flatMap(sentences)[0]?.text ?? row.description[0].text;

  const said: Said = {};
  for (const line of all) {
    const m = /^(Minimum|Maximum|Default):\s*(.+)$/.exec(line.text);
    if (m) {
      const worded = { text: line.text, line: line.no };
      if (m[1] === 'Default') reading.default = { value: m[2].trim(), ...worded };
      else {
        if (!/^-?\d+(\.\d+)?$/.test(m[2].trim())) throw new PageFormatError(line.no, `a number after "${m[1]}:"`, m[2]);
        reading[m[1] === 'Minimum' ? 'minimum' : 'maximum'] = { value: Number(m[2]), ...worded };
      }
      continue;
    }
    for (const s of sentences(line)) readSentence(s, row, reading, bullets, said);
  }
  settleProse(reading, said);
  return reading;
}

/** What prose said that a line or a bullet list may say too: settled once the whole cell is read. */
interface Said {
  values?: Worded<string[]>;
  default?: Worded<string> & { word: boolean }; // word: a plain lower-case word, a value only if listed
}

/** Values and defaults in prose, held against the bullets and the "Default:" line. */
function settleProse(reading: Reading, said: Said): void {
  const v = said.values;
  if (v && !reading.enum) {
    reading.enum = v;
    reading.enumFrom = 'words';
  } else if (v && [...reading.enum!.value].sort().join() !== [...v.value].sort().join())
    reading.review.push({
      text: v.text,
      line: v.line,
      why: `values in words that the bullets do not list (${reading.enum!.value.join(', ')})`,
    });
  const d = said.default;
  const listed = reading.enum?.value.includes(d?.value ?? '') || d?.value === 'true' || d?.value === 'false';
  if (d?.word && !listed)
    reading.review.push({ ...d, why: 'a default in words that is a plain word, not one of the listed values' });
  else if (d && !reading.default) reading.default = d;
  else if (d && reading.default!.value !== d.value) reading.defaultWords = d; // a conflict, settled per row
}

function readSentence(s: PageLine, row: Row, reading: Reading, bullets: PageLine[], said: Said): void {
  const t = s.text;
  const worded = { text: t, line: s.no };
  const charset = readCharset(t);
  if (typeof charset === 'string') {
    reading.charsetUnread = true;
    return void reading.review.push({ ...worded, why: charset });
  }
  let read = charset !== undefined && addCharset(reading, charset, worded);
  read = readWords(t, reading, bullets, said, worded, charset !== undefined) || read;
  read = readCross(t, row, reading, worded) || read;
  // Example bullets of a grammar ("Range, for example, 200-299") are part of what was read above.
  if (!read && reading.integerList && /for example/i.test(t)) read = true;
  if (read) return;
  // Words about characters that no recognizer read: any pattern of this cell would say less than the page.
  if (row.type === 'String' && CHAR_SENTENCE.test(t)) {
    reading.charsetUnread = true;
    return void reading.review.push({ ...worded, why: 'a rule on the characters that the compiler does not read' });
  }
  if (RULE_WORDS.test(t) || NUMERIC_WORDS.test(t))
    reading.review.push({ ...worded, why: 'sounds like a rule, but no recognizer reads it' });
}

/** Joins a charset sentence to what earlier sentences said (a first-character rule, the set); false on a clash. */
function addCharset(reading: Reading, charset: CharsetReading, worded: { text: string; line: number }): boolean {
  const before = reading.charset?.value ?? {};
  const clash = (k: 'rest' | 'first') =>
    before[k] !== undefined && charset[k] !== undefined && JSON.stringify(before[k]) !== JSON.stringify(charset[k]);
  if (clash('rest') || clash('first')) {
    reading.review.push({ ...worded, why: 'a second character set that differs from the first' });
    return true;
  }
  const text = reading.charset ? `${reading.charset.text} ${worded.text}` : worded.text;
  reading.charset = { value: { ...before, ...charset }, text, line: reading.charset?.line ?? worded.line };
  return true;
}

/** Lengths, ranges, counts, list formats, values, defaults and the integer-list grammar, in words. */
function readWords(
  t: string,
  reading: Reading,
  bullets: PageLine[],
  said: Said,
  worded: { text: string; line: number },
  isCharset: boolean,
): boolean {
  let read = false;
  const grammar = /any integer within (\d+)\s*[–—-]\s*(\d+) in one of the following formats/i.exec(t);
  const length = lengthIn(t);
  if (length) reading.wordsLength.push({ ...length, ...worded });
  const range = grammar ? undefined : rangeIn(t);
  if (range) reading.wordsRange.push({ value: range, ...worded });
  // Two counts in one sentence ("add 1 to 5 members ... specify 1 to 10 IDs"): which is this one's is a guess.
  const counts = countsIn(t);
  if (counts.length === 1) reading.wordsCount.push({ min: counts[0].min, max: counts[0].max, ...worded });
  if (counts.length > 1)
    reading.review.push({
      ...worded,
      why: `item counts of ${counts.map((c) => c.things).join(' and ')} in one sentence; neither applied`,
    });
  const separator = listFormatIn(t);
  if (separator) reading.listFormat = { value: separator, ...worded };
  const allowed = isCharset ? undefined : allowedValuesIn(t);
  if (allowed) said.values = { value: allowed, ...worded };
  const dflt = defaultIn(t);
  if (dflt) said.default = { value: dflt.value, word: dflt.word, ...worded };
  read = [length, range, counts[0], separator, allowed, dflt].some((x) => x !== undefined);
  if (grammar) {
    const bulletText = bullets.map((b) => b.text).join(' ');
    reading.integerList = {
      value: {
        lo: Number(grammar[1]),
        hi: Number(grammar[2]),
        lists: /multiple values/i.test(bulletText),
        ranges: /\brange\b/i.test(bulletText),
      },
      text: [t, ...bullets.map((b) => b.text.split(/(?<=\.)\s+(?=[A-Z])/)[0])].join(' '),
      line: worded.line,
    };
    read = true;
  }
  return read;
}

/** "must be less than X", "must be greater than X", "required if X is set to Y" and its variants. */
function readCross(t: string, row: Row, reading: Reading, worded: { text: string; line: number }): boolean {
  let read = false;
  let m = /must be less than (?!or equal)(?:the value of |that of )?([a-z][a-z0-9_]*)/i.exec(t);
  if (m) {
    reading.cross.push({ kind: 'lt', self: row.parameter, other: m[1], ...worded });
    read = true;
  }
  m = /must be greater than (?!or equal)(?:the value of |that of )?([a-z][a-z0-9_]*)/i.exec(t);
  if (m) {
    reading.cross.push({ kind: 'lt', self: m[1], other: row.parameter, ...worded });
    read = true;
  }
  const conditional = requiredIfOf(t);
  if (conditional) {
    reading.cross.push({ kind: 'requiredIf', self: row.parameter, ...conditional, ...worded });
    read = true;
  }
  return read;
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
