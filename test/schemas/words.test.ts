// The recognizers of words, one sentence at a time: a charset is read exactly or sent to review (and its
// pattern then accepts exactly what the words allow), and lengths, counts, ranges, values, defaults
// and list formats are read in the variants pages of this family use.

import { describe, expect, it } from 'vitest';
import { charsetPattern, readCharset } from '../../schemas/compiler/charset.ts';
import { allowedValuesIn, countIn, defaultIn, lengthIn, listFormatIn, rangeIn } from '../../schemas/compiler/words.ts';

const pattern = (sentence: string) => {
  const r = readCharset(sentence);
  if (typeof r !== 'object') throw new Error(`not read: ${String(r)}`);
  return charsetPattern(r);
};

describe('charset sentences', () => {
  it.each([
    ['Only letters, digits, hyphens (-), and underscores (_) are allowed.', '^[A-Za-z0-9_-]*$'],
    ['The value must start with an English letter.', '^[A-Za-z][\\s\\S]*$'],
    ['It can include letters, digits, hyphens (-), and underscores (_) (max. 64 characters).', '^[A-Za-z0-9_-]*$'],
    ['The value can contain letters, digits, and special characters (-_).', '^[A-Za-z0-9_-]*$'],
    [
      'The name can contain 1 to 255 characters, including letters, digits, periods (.), slashes (/), parentheses, colons (:), hyphens and underscores; the value must start with a letter or digit.',
      '^[A-Za-z0-9][A-Za-z0-9./():_-]*$',
    ],
    ['It can contain only letters, digits and underscores, starting with a letter.', '^[A-Za-z][A-Za-z0-9_]*$'],
    ['It can contain Chinese characters, letters, digits, and underscores (_).', '^[\\u4e00-\\u9fa5A-Za-z0-9_]*$'],
    ['Only lowercase letters, digits, and spaces are allowed.', '^[a-z0-9 ]*$'],
    ['It can contain uppercase letters and backslashes.', '^[A-Z\\\\]*$'],
    ['Only letters and digits are allowed, and it must not end with a digit.', '^[A-Za-z0-9]*[A-Za-z]$'],
    [
      'Only letters and digits are allowed. It must start and end with a letter.',
      '^(?:[A-Za-z]|[A-Za-z][A-Za-z0-9]*[A-Za-z])$',
    ],
  ])('%s', (sentence, expected) => {
    expect(pattern(sentence)).toBe(expected);
  });

  it.each([
    ['It can contain letters, digits, and emojis.', 'cannot read exactly: "letters, digits, and emojis"'],
    ['Only letters, digits, and special characters are allowed.', 'cannot read exactly'],
    ['It can include letters and hyphens (_).', 'cannot read exactly'],
    ['Only letters and digits are allowed, and consecutive digits are not allowed.', 'does not read exactly'],
    [
      'Only letters and digits are allowed and the value is case-insensitive at the end.',
      'does not read exactly ("end")',
    ],
    ['It must start with a letter or a symbol.', 'first- or last-character rule the compiler cannot read exactly'],
  ])('%s goes to review', (sentence, why) => {
    expect(readCharset(sentence)).toEqual(expect.stringContaining(why));
  });

  it.each([
    'The value can contain a maximum of 255 characters.',
    'It can contain 3 to 64 characters.',
    'Only TCP is supported.',
    'This parameter is mandatory when the backend instance type is ECS.',
  ])('%s states no charset', (sentence) => {
    expect(readCharset(sentence)).toBeUndefined();
  });

  it('refuses a pattern the words cannot make: a "cannot start with" without a list, a first rule outside the list', () => {
    expect(() => pattern('The value cannot start with a digit.')).toThrow('no list of the characters it can contain');
    expect(() => charsetPattern({ rest: [[97, 122]], first: [[48, 57]] })).toThrow(
      'names characters the list does not allow',
    );
  });

  it('refuses to emit a pattern that disagrees with its ranges', () => {
    // A reading whose class body would be wrong if "]" were not escaped.
    expect(charsetPattern({ rest: [[93, 93]] })).toBe('^[\\]]*$');
    expect(new RegExp(charsetPattern({ rest: [[93, 93]] }), 'u').test(']]')).toBe(true);
  });
});

describe('words', () => {
  it('lengths', () => {
    expect(lengthIn('The value contains 3 to 64 characters.')).toEqual({ min: 3, max: 64 });
    expect(lengthIn('The value is a string of 1–255 characters.')).toEqual({ min: 1, max: 255 });
    expect(lengthIn('The value can contain a maximum of 255 characters.')).toEqual({ max: 255 });
    expect(lengthIn('(max. 64 characters)')).toEqual({ max: 64 });
    expect(lengthIn('The password must contain at least 8 characters.')).toEqual({ min: 8 });
    expect(lengthIn('Specify 1 to 10 IDs.')).toBeUndefined();
  });

  it('item counts', () => {
    expect(countIn('Specify 1 to 10 IDs.')).toMatchObject({ min: 1, max: 10, things: 'IDs' });
    expect(countIn('A maximum of 100 IP addresses can be specified.')).toMatchObject({ max: 100 });
    expect(countIn('The value contains 3 to 64 characters.')).toBeUndefined();
  });

  it('integer ranges', () => {
    expect(rangeIn('The value ranges from 1 to 65535.')).toEqual({ min: 1, max: 65535 });
    expect(rangeIn('The value range is 1–65535.')).toEqual({ min: 1, max: 65535 });
    expect(rangeIn('Value range: 0-100.')).toEqual({ min: 0, max: 100 });
    expect(rangeIn('The weight must be between 1 and 10.')).toEqual({ min: 1, max: 10 });
    expect(rangeIn('The value cannot exceed 100.')).toEqual({ max: 100 });
    expect(rangeIn('The minimum value is 1.')).toEqual({ min: 1 });
    expect(rangeIn('The maximum value is the number of members.')).toBeUndefined();
    expect(rangeIn('It can contain 1 to 64 characters.')).toBeUndefined();
  });

  it('allowed values', () => {
    expect(allowedValuesIn('TLSv1.1 and TLSv1.2 are supported.')).toEqual(['TLSv1.1', 'TLSv1.2']);
    expect(allowedValuesIn('Only IPV4 is supported.')).toEqual(['IPV4']);
    expect(allowedValuesIn('The value can be V1 or V2.')).toEqual(['V1', 'V2']);
    expect(allowedValuesIn('Options: GET, POST, and PUT.')).toEqual(['GET', 'POST', 'PUT']);
    expect(allowedValuesIn('Letters and digits are supported.')).toBeUndefined();
    expect(allowedValuesIn('Only name is supported.')).toBeUndefined();
  });

  it('defaults', () => {
    expect(defaultIn('The value 2 is returned by default.')).toEqual({ value: '2', word: false });
    expect(defaultIn('The default value is 20.')).toEqual({ value: '20', word: false });
    expect(defaultIn('Default value: V1')).toEqual({ value: 'V1', word: false });
    expect(defaultIn('The default value is TCP.')).toEqual({ value: 'TCP', word: false });
    expect(defaultIn('The default value is ecs.')).toEqual({ value: 'ecs', word: true });
    expect(defaultIn('The default value is Base64-encoded.')).toBeUndefined();
    expect(defaultIn('By default, the data is not forcibly synchronized.')).toBeUndefined();
  });

  it('list formats', () => {
    expect(listFormatIn('Separate multiple objects with commas.')).toBe(',');
    expect(listFormatIn('Use commas (,) to separate multiple values.')).toBe(',');
    expect(listFormatIn('Values are separated by semicolons.')).toBe(';');
    expect(listFormatIn('A comma-separated list of IDs.')).toBe(',');
    expect(listFormatIn('Separate the words carefully.')).toBeUndefined();
  });
});
