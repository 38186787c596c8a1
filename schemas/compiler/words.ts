// Constraints stated in words inside one sentence: lengths, item counts, integer ranges, allowed values,
// defaults and list formats. Each function is one family of sentence shapes and returns undefined when
// the sentence is not of that family.

const DASH = '(?:to|[-–—])';
const NUM = '(-?\\d+(?:\\.\\d+)?)';

/** "3 to 64 characters", "(max. 64 characters)", "a maximum of 255 characters", "at least 8 characters". */
export function lengthIn(text: string): { min?: number; max?: number } | undefined {
  let m = new RegExp(`\\b(\\d+)\\s*${DASH}\\s*(\\d+) characters\\b`, 'i').exec(text);
  if (m) return { min: Number(m[1]), max: Number(m[2]) };
  m = /(?:\(max\.\s*|\b(?:a maximum of|at most|up to|no more than|max\.)\s+)(\d+) characters\b/i.exec(text);
  if (m) return { max: Number(m[1]) };
  m = /\b(?:a minimum of|at least|no less than|min\.)\s+(\d+) characters\b/i.exec(text);
  if (m) return { min: Number(m[1]) };
  return undefined;
}

/** "The value ranges from 1 to 65535", "The value range is 1–500", "Value range: 0–100", "between 1 and 10". */
export function rangeIn(text: string): [number, number] | undefined {
  const shapes = [
    new RegExp(`\\branges? from ${NUM}\\s*${DASH}\\s*${NUM}(?!\\s*characters)`, 'i'),
    new RegExp(`\\b(?:value )?range(?: is|:)\\s*${NUM}\\s*${DASH}\\s*${NUM}(?!\\s*characters)`, 'i'),
    new RegExp(`\\bbetween ${NUM} and ${NUM}(?!\\s*characters)`, 'i'),
  ];
  for (const re of shapes) {
    const m = re.exec(text);
    if (m) return [Number(m[1]), Number(m[2])];
  }
  return undefined;
}

/** "specify 1 to 10 IDs", "A maximum of 10 IDs can be specified", "up to 100 IP addresses". */
export function countIn(text: string): { min?: number; max?: number; things: string } | undefined {
  let m = new RegExp(
    `\\b(?:specify|contains?|enter|select|add|provide|include)\\s+(\\d+)\\s*${DASH}\\s*(\\d+)\\s+(?!characters\\b)([A-Za-z][A-Za-z ]*?)(?=[.,;]|$| can| are| is)`,
    'i',
  ).exec(text);
  if (m) return { min: Number(m[1]), max: Number(m[2]), things: m[3] };
  m =
    /\b(?:a maximum of|at most|up to|no more than)\s+(\d+)\s+(?!characters\b)([A-Za-z][A-Za-z ]*?)(?=[.,;]|$| can| are| is)/i.exec(
      text,
    );
  if (m) return { max: Number(m[1]), things: m[2] };
  m =
    /\b(?:a minimum of|at least)\s+(\d+)\s+(?!characters\b)([A-Za-z][A-Za-z ]*?)(?=[.,;]|$| can| are| is| must)/i.exec(
      text,
    );
  if (m) return { min: Number(m[1]), things: m[2] };
  return undefined;
}

// A value as written in running text: "TLSv1.2", "HTTP", "V2", "2", "round-robin" (not an English word).
const VALUE = String.raw`["'“]?(?![A-Z][a-z]+\b)([A-Za-z0-9_.:/-]*[A-Z0-9][A-Za-z0-9_.:/-]*|[a-z][a-z0-9]*_[a-z0-9_]*)["'”]?`;
const values = (list: string) =>
  list
    .split(/\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+/)
    .map((v) => new RegExp(`^${VALUE}$`).exec(v.trim().replace(/\.$/, ''))?.[1]);

/** "TLSv1.1 and TLSv1.2 are supported.", "Only IPV4 is supported.", "The value can be V1 or V2." */
export function allowedValuesIn(text: string): string[] | undefined {
  const shapes = [
    /^(?:(?:Currently|At present),\s+)?(?:only\s+)?(.+?) (?:is|are) supported\.?$/i,
    /^(?:The )?(?:value|options?) (?:can only be|must be one of|can be|must be|is fixed (?:at|to)|are)\s*:?\s+(?:either\s+)?(.+?)\.?$/i,
    /^(?:Options|Possible values|Enumeration values|Values|Value options):\s*(.+?)\.?$/i,
  ];
  for (const re of shapes) {
    const m = re.exec(text.trim());
    if (!m) continue;
    const found = values(m[1]);
    if (found.length > 0 && found.every((v) => v !== undefined)) return found as string[];
  }
  return undefined;
}

/** "The default value is 20.", "Default value: 20", "The value 2 is returned by default.", "V1 is used by default." */
export function defaultIn(text: string): string | undefined {
  const shapes = [
    new RegExp(`^(?:The )?default value is ${VALUE}\\.?$`, 'i'),
    new RegExp(`^Default value:\\s*${VALUE}\\.?$`, 'i'),
    new RegExp(`^(?:The )?(?:value )?${VALUE} is (?:returned|used|applied|taken) by default\\.?$`, 'i'),
    new RegExp(`\\(default(?: value)?:? ${VALUE}\\)`, 'i'),
  ];
  for (const re of shapes) {
    const m = re.exec(text.trim().replace(/\.$/, ''));
    if (m) return m[1];
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
  /\b\d+\s*(?:to|[-–—])\s*\d+\b|\bcharacters?\b|\b(?:maximum|minimum) of\b|\bdefault value\b|\bby default\b(?!,)|\bseparated?\b|\b(?:are|is) (?:supported|allowed)\.?$|\bstart(?:s|ing)? with\b/i;
