// Keywords of one row from what its words say, by the row's type: which bounds apply (lengths on
// strings, ranges on numbers, counts on arrays), the pattern of a charset or an integer-list grammar,
// and the format of a list written in one string. Words that do not fit the type go to review.

import { charsetPattern } from './charset.ts';
import { integerListPattern } from './integer-list.ts';
import type { Side } from './bounds.ts';
import type { Reading } from './read-description.ts';

type ToReview = (line: number, text: string, why: string) => void;
const isNumeric = (type: string) => type === 'integer' || type === 'number';

/** The lower and upper bounds a row states (lines and words), each with its words. */
export function boundSides(reading: Reading, type: string, toReview: ToReview): { lows: Side[]; highs: Side[] } {
  const lows: Side[] = [];
  const highs: Side[] = [];
  // A Minimum/Maximum line bounds a length, a value or a count; on any other type it means nothing exact.
  const bounded = type === 'string' || type === 'array' || isNumeric(type);
  for (const [line, into] of [
    [reading.minimum, lows],
    [reading.maximum, highs],
  ] as const)
    if (line && bounded) into.push(line);
    else if (line) toReview(line.line, line.text, `a bound on a parameter of type ${type}`);
  const push = (min: number | undefined, max: number | undefined, text: string, line: number) => {
    if (min !== undefined) lows.push({ value: min, text, line });
    if (max !== undefined) highs.push({ value: max, text, line });
  };
  for (const w of reading.wordsLength)
    if (type === 'string') push(w.min, w.max, w.text, w.line);
    else toReview(w.line, w.text, `a length in words on a parameter of type ${type}`);
  for (const w of reading.wordsRange)
    if (isNumeric(type)) push(w.value.min, w.value.max, w.text, w.line);
    else toReview(w.line, w.text, `a numeric range in words on a parameter of type ${type}`);
  for (const w of reading.wordsCount)
    if (type === 'array') push(w.min, w.max, w.text, w.line);
    else if (!(type === 'string' && reading.listFormat))
      toReview(w.line, w.text, `an item count in words on a parameter of type ${type}`);
  return { lows, highs };
}

/** The pattern of a charset sentence or an integer-list grammar, when the row is a string. */
export function patternOf(
  reading: Reading,
  type: string,
  toReview: ToReview,
): { value: string; text: string } | undefined {
  const c = reading.charset;
  const g = reading.integerList;
  if (c && g) return void toReview(c.line, c.text, 'a character set and an integer-list grammar on one parameter');
  if (c) {
    if (type !== 'string') return void toReview(c.line, c.text, `a character set on a parameter of type ${type}`);
    if (reading.charsetUnread)
      return void toReview(
        c.line,
        c.text,
        'no pattern: another sentence of the cell states a character rule the compiler cannot read',
      );
    try {
      return { value: charsetPattern(c.value), text: c.text };
    } catch (e) {
      return void toReview(c.line, c.text, (e as Error).message);
    }
  }
  if (g) {
    if (type !== 'string')
      return void toReview(g.line, g.text, `an integer-list grammar on a parameter of type ${type}`);
    return { value: integerListPattern(g.value.lo, g.value.hi, g.value.lists, g.value.ranges), text: g.text };
  }
  return undefined;
}

/** "Separate multiple objects with commas." on a string: the separator, and the item counts the words give. */
export function listOf(
  reading: Reading,
  type: string,
  toReview: ToReview,
): { value: { separator: string; minItems?: number; maxItems?: number }; text: string } | undefined {
  const l = reading.listFormat;
  if (!l) return undefined;
  if (type !== 'string') return void toReview(l.line, l.text, `a list format on a parameter of type ${type}`);
  const value: { separator: string; minItems?: number; maxItems?: number } = { separator: l.value };
  const texts = [l.text];
  for (const w of reading.wordsCount) {
    if (w.min !== undefined) value.minItems = w.min;
    if (w.max !== undefined) value.maxItems = w.max;
    texts.push(w.text);
  }
  return { value, text: [...new Set(texts)].join(' ') };
}
