// A JSON body pretty-printed as HTML, with the values at given JSON pointers marked. Records keep
// bodies cut to the report's limit, so this reads JSON token by token and keeps track of where it
// is: a cut body still shows (and marks) everything before the cut. Output is capped again here.

import { html, type Html, type Part } from './html-template.ts';

export const MAX_PRETTY = 16_000; // characters of pretty-printed body per exchange

const step = (pointer: string, key: string | number) =>
  `${pointer}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

const TOKEN = /\s*(?:("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)|([{}[\]:,]))/y;

/** A member name as the validator names it in a pointer; its raw text when an escape is not JSON. */
function keyOf(token: string): string {
  try {
    return JSON.parse(token) as string;
  } catch {
    return token.slice(1, -1);
  }
}

interface Frame {
  kind: '{' | '[';
  pointer: string;
  index: number;
  key?: string; // the member name just read, in an object
  marked: boolean;
}

/** Pretty JSON with <mark> around each value whose pointer is in `marks`; the text as it is when it is not JSON. */
export function prettyBody(body: string, marks: ReadonlySet<string>): { html: Html; json: boolean; cut: boolean } {
  const out: Part[] = [];
  const stack: Frame[] = [];
  let size = 0;
  let pos = 0;
  let expectKey = false;
  const indent = () => `\n${'  '.repeat(stack.length)}`;
  const push = (p: Part, n: number) => {
    out.push(p);
    size += n;
  };
  const here = (): string => {
    const f = stack[stack.length - 1];
    return !f ? '' : f.kind === '[' ? step(f.pointer, f.index) : step(f.pointer, f.key ?? '');
  };
  const plain = (): { html: Html; json: boolean; cut: boolean } => {
    const cut = body.length > MAX_PRETTY;
    return { html: html`${cut ? body.slice(0, MAX_PRETTY) : body}`, json: false, cut };
  };
  let sawValue = false;
  while (pos < body.length && size < MAX_PRETTY) {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(body);
    if (!m) break;
    pos = TOKEN.lastIndex;
    const [, str, scalar, punct] = m;
    const top = stack[stack.length - 1];
    if (str !== undefined && top?.kind === '{' && expectKey) {
      top.key = keyOf(str);
      push(html`<span class="k">${str}</span>`, str.length);
      expectKey = false;
    } else if (str !== undefined || scalar !== undefined) {
      const text = (str ?? scalar)!;
      const span = html`<span class="${str !== undefined ? 's' : 'n'}">${text}</span>`;
      push(marks.has(here()) ? html`<mark data-pointer="${here()}">${span}</mark>` : span, text.length);
      sawValue = true;
    } else if (punct === '{' || punct === '[') {
      const pointer = here();
      const marked = marks.has(pointer);
      if (marked) out.push(html`<mark data-pointer="${pointer}">`);
      push(punct, 1);
      stack.push({ kind: punct, pointer, index: 0, marked });
      expectKey = punct === '{';
      const next = body.slice(pos).trimStart()[0];
      if (next !== '}' && next !== ']') push(indent(), stack.length * 2 + 1);
      sawValue = true;
    } else if (punct === '}' || punct === ']') {
      const f = stack.pop();
      if (!f) return plain();
      const empty = /[{[]\s*$/.test(body.slice(0, pos - 1));
      if (!empty) push(indent(), stack.length * 2 + 1);
      push(punct, 1);
      if (f.marked) out.push(html`</mark>`);
    } else if (punct === ',') {
      if (!top) return plain();
      top.index++;
      expectKey = top.kind === '{';
      push(',', 1);
      push(indent(), stack.length * 2 + 1);
    } else if (punct === ':') push(': ', 2);
  }
  const rest = body.slice(pos);
  // Not JSON at all, or something after the value that is not JSON: show the text as it came.
  if (!sawValue || (stack.length === 0 && rest.trim() !== '' && size < MAX_PRETTY)) return plain();
  const cut = stack.length > 0 || size >= MAX_PRETTY;
  if (rest.trim() && size < MAX_PRETTY) out.push(rest.trim()); // a token the cut split
  for (const f of stack.reverse()) if (f.marked) out.push(html`</mark>`);
  return { html: html`${out}`, json: true, cut };
}
