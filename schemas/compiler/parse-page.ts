// Reads a Huawei API reference page (plain text, one cell per line) into a model of its tables,
// examples and status codes. It knows the page *format*, not this page: every table, row and
// bullet is found by shape, and anything that does not fit the shape is a PageFormatError.

export interface PageLine {
  no: number; // 1-based line number in the page
  text: string; // trimmed
}

export interface Row {
  parameter: string;
  mandatory?: boolean; // request tables only
  type: string; // as written on the page
  description: PageLine[];
  line: number;
}

export interface Table {
  number: number;
  id: string; // "table8"
  name: string; // "Table 8"
  title: string; // "VpcHealthConfigInfo" / "Request body parameters"
  section: string; // the heading above it: "URI", "Request Parameters", "Response Parameters"
  status?: number; // the "Status code: NNN" the table documents
  hasMandatory: boolean;
  rows: Row[];
  line: number;
}

export interface Example {
  kind: 'request' | 'response';
  status?: number;
  json: unknown;
  line: number;
}

export interface Page {
  title: string;
  method: string;
  path: string;
  functionText: string[];
  tables: Table[];
  examples: Example[];
  statusCodes: { status: number; description: string }[];
}

export class PageFormatError extends Error {
  constructor(
    public readonly line: number,
    public readonly expected: string,
    public readonly got: string,
  ) {
    super(`page line ${line}: expected ${expected}, got ${JSON.stringify(got)}`);
    this.name = 'PageFormatError';
  }
}

const TABLE_HEADING = /^Table (\d+) (.+)$/;
const STATUS_HEADING = /^Status code: (\d{3})$/;
const SECTIONS = [
  'Function',
  'URI',
  'Request Parameters',
  'Response Parameters',
  'Example Requests',
  'Example Responses',
  'Status Codes',
  'Error Codes',
];
const PARAMETER = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const SCALAR_TYPES = ['String', 'Integer', 'Long', 'Number', 'Float', 'Double', 'Boolean', 'Object'];

/** Whether a cell reads as a type the compiler knows ("String", "Array of X objects", "X object", ...). */
export function isTypeCell(text: string): boolean {
  return (
    SCALAR_TYPES.includes(text) ||
    /^Array of (strings|integers|numbers|booleans|Long)$/.test(text) ||
    /^Array of [A-Z][A-Za-z0-9]* objects$/.test(text) ||
    /^[A-Z][A-Za-z0-9]* object$/.test(text)
  );
}

const KNOWN_TYPES_HINT =
  'a type (String, Integer, Long, Number, Boolean, Object, "Array of strings|integers|numbers|booleans|Long", "Array of X objects", "X object")';

function isBoundary(text: string): boolean {
  return TABLE_HEADING.test(text) || STATUS_HEADING.test(text) || SECTIONS.includes(text) || /^Updated on /.test(text);
}

/** A line that starts a new row: a bare parameter name that is not a type, a flag or a heading. */
function looksLikeParameter(text: string): boolean {
  return (
    PARAMETER.test(text) &&
    !isTypeCell(text) &&
    text !== 'Yes' &&
    text !== 'No' &&
    !isBoundary(text) &&
    /[a-z_-]/.test(text) &&
    !/^[A-Z][a-z]+$/.test(text)
  );
}

export function parsePage(source: string): Page {
  // Pages copied from a browser carry CRLF or CR line ends, non-breaking and zero-width spaces.
  const lines: PageLine[] = source
    .split(/\r\n|\r|\n/)
    .map((text, i) => ({
      no: i + 1,
      text: text
        .replace(/[\u00a0\u2007\u202f]/g, ' ')
        .replace(/[\u200b\ufeff]/g, '')
        .trim(),
    }))
    .filter((l) => l.text.length > 0);

  const page: Page = { title: '', method: '', path: '', functionText: [], tables: [], examples: [], statusCodes: [] };
  let section = '';
  let status: number | undefined;
  let i = 0;

  const at = (k: number): PageLine | undefined => lines[k];

  while (i < lines.length) {
    const line = lines[i];
    const text = line.text;

    if (/^Updated on /.test(text)) {
      i++;
      if (at(i) && !isBoundary(at(i)!.text)) page.title = at(i++)!.text;
      continue;
    }
    if (SECTIONS.includes(text)) {
      section = text;
      status = undefined;
      i++;
      continue;
    }
    const statusMatch = STATUS_HEADING.exec(text);
    if (statusMatch) {
      status = Number(statusMatch[1]);
      i++;
      continue;
    }
    const tableMatch = TABLE_HEADING.exec(text);
    if (tableMatch) {
      const [table, next] = parseTable(lines, i, Number(tableMatch[1]), tableMatch[2], section, status);
      page.tables.push(table);
      i = next;
      continue;
    }
    if (section === 'Function') {
      page.functionText.push(text);
      i++;
      continue;
    }
    if (section === 'URI') {
      const m = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/\S*)$/.exec(text);
      if (m) {
        page.method = m[1];
        page.path = m[2];
      }
      i++;
      continue;
    }
    if (section === 'Example Requests' || section === 'Example Responses') {
      if (text.startsWith('{') || text.startsWith('[')) {
        const [json, next] = readJson(lines, i);
        page.examples.push({
          kind: section === 'Example Requests' ? 'request' : 'response',
          status,
          json,
          line: line.no,
        });
        i = next;
        continue;
      }
      i++;
      continue;
    }
    if (section === 'Status Codes') {
      if (/^\d{3}$/.test(text)) {
        const desc = at(i + 1);
        if (!desc || isBoundary(desc.text))
          throw new PageFormatError(line.no, `a description after status code ${text}`, desc?.text ?? '<end of page>');
        page.statusCodes.push({ status: Number(text), description: desc.text });
        i += 2;
        continue;
      }
      i++;
      continue;
    }
    i++;
  }
  if (!page.method) throw new PageFormatError(1, 'a URI section with "METHOD /path"', '<none>');
  return page;
}

function parseTable(
  lines: PageLine[],
  start: number,
  number: number,
  title: string,
  section: string,
  status: number | undefined,
): [Table, number] {
  const heading = lines[start];
  let i = start + 1;
  const expectHeader = (name: string) => {
    const l = lines[i];
    if (!l || l.text !== name)
      throw new PageFormatError(
        l?.no ?? heading.no,
        `the column header "${name}" of Table ${number}`,
        l?.text ?? '<end of page>',
      );
    i++;
  };
  expectHeader('Parameter');
  const hasMandatory = lines[i]?.text === 'Mandatory';
  if (hasMandatory) i++;
  expectHeader('Type');
  expectHeader('Description');

  const table: Table = {
    number,
    id: `table${number}`,
    name: `Table ${number}`,
    title,
    section,
    status,
    hasMandatory,
    rows: [],
    line: heading.no,
  };
  let current: Row | undefined;

  while (i < lines.length && !isBoundary(lines[i].text)) {
    const l = lines[i];
    if (looksLikeParameter(l.text) && startsRow(lines, i, hasMandatory)) {
      const row = readRowHead(lines, i, hasMandatory, table);
      table.rows.push(row);
      current = row;
      i += hasMandatory ? 3 : 2;
      continue;
    }
    if (!current) throw new PageFormatError(l.no, `the first row of Table ${number} (a parameter name)`, l.text);
    current.description.push(l);
    i++;
  }
  if (table.rows.length === 0)
    throw new PageFormatError(heading.no, `at least one row in Table ${number}`, lines[i]?.text ?? '<end of page>');
  for (const row of table.rows) {
    if (row.description.length === 0)
      throw new PageFormatError(
        row.line,
        `a description for "${row.parameter}" in Table ${number}`,
        lines[i]?.text ?? '<end of table>',
      );
  }
  return [table, i];
}

/**
 * A parameter-looking line starts a row when the next cell is a Mandatory flag (request tables) or
 * a type. If it is neither, it still starts a row when the line after it is the flag/type (a row
 * with a missing cell), so the error names the row instead of swallowing it into a description.
 */
function startsRow(lines: PageLine[], i: number, hasMandatory: boolean): boolean {
  const next = lines[i + 1]?.text ?? '';
  if (hasMandatory) return next === 'Yes' || next === 'No' || isTypeCell(next) || /^(Yes|No)$/i.test(next);
  if (isTypeCell(next)) return true;
  return looksLikeTypeCell(next) && !isBoundary(next);
}

// Type words in any case, alone or with generic arguments ("string", "Map<String, String>", "List<Long>").
const TYPE_WORD =
  /^(string|integer|int|long|number|float|double|boolean|bool|object|map|list|array|set|dict)(<[A-Za-z0-9, <>]*>)?$/i;

/**
 * A cell shaped like a type the compiler may not know: "Array of ...", "X object", a capitalised
 * word, or a type word in any case, alone or generic. Such a cell after a parameter name starts a
 * row (and an unknown one is then a PageFormatError), instead of being read as description text.
 */
function looksLikeTypeCell(text: string): boolean {
  return (
    /^(Array of .+|[A-Z][A-Za-z0-9<>,]*( object)?)$/.test(text) || /^array of /i.test(text) || TYPE_WORD.test(text)
  );
}

function readRowHead(lines: PageLine[], i: number, hasMandatory: boolean, table: Table): Row {
  const name = lines[i];
  let k = i + 1;
  let mandatory: boolean | undefined;
  if (hasMandatory) {
    const flag = lines[k];
    if (!flag || (flag.text !== 'Yes' && flag.text !== 'No')) {
      throw new PageFormatError(
        flag?.no ?? name.no,
        `the Mandatory cell (Yes or No) of "${name.text}" in ${table.name}`,
        flag?.text ?? '<end of page>',
      );
    }
    mandatory = flag.text === 'Yes';
    k++;
  }
  const type = lines[k];
  if (!type || !isTypeCell(type.text)) {
    throw new PageFormatError(
      type?.no ?? name.no,
      `${KNOWN_TYPES_HINT} for "${name.text}" in ${table.name}`,
      type?.text ?? '<end of page>',
    );
  }
  return { parameter: name.text, mandatory, type: type.text, description: [], line: name.no };
}

/** Reads a JSON example that spans lines, by bracket depth outside strings. */
function readJson(lines: PageLine[], start: number): [unknown, number] {
  let depth = 0;
  let inString = false;
  let escaped = false;
  const parts: string[] = [];
  for (let i = start; i < lines.length; i++) {
    const t = lines[i].text;
    parts.push(t);
    for (const ch of t) {
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') depth--;
    }
    if (depth === 0) {
      const text = parts.join('\n');
      try {
        return [JSON.parse(text), i + 1];
      } catch (e) {
        throw new PageFormatError(
          lines[start].no,
          'a JSON example',
          `${text.slice(0, 60)}... (${(e as Error).message})`,
        );
      }
    }
  }
  throw new PageFormatError(lines[start].no, 'a complete JSON example', '<end of page>');
}
