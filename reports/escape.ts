// The escapes the writers and the redaction share: apart from the writers, so that what redacts (the
// CLI, the worker) loads no report renderer.

import { escapeUTF8 } from 'entities/escape';

/** Backslash-escape Markdown-significant characters. */
export const escapeMdChars = (s: string): string => s.replace(/[\\`*_[\]<>#|~&$]/g, '\\$&');

// Control characters have no place in HTML text (NUL is even rewritten by parsers): show U+FFFD.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Text and attribute safe HTML (& < > " ' escaped by `entities`). */
export const escapeHtml = (s: string): string => escapeUTF8(s.replace(CONTROL, '\uFFFD'));
