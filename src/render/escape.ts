/**
 * Markdown escaping for values printed by the templates. Handlebars' own HTML
 * escaping is off (noEscape); these helpers make any AD value inert Markdown.
 */

/** Control characters (C0 but TAB and the line breaks above, DEL, C1) and invisible format characters. */
const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;

/**
 * Line breaks of every kind become one space: CommonMark ends a line at LF,
 * CR and CRLF alike, so a lone CR in a value would start a new block (a
 * heading, raw HTML) in the middle of a field. Other control characters
 * (C0, DEL, C1) and the invisible format characters (zero-width, bidi marks,
 * embeddings, overrides and isolates) are shown as U+hhhh: inert in Markdown,
 * HTML and PDF, printable in every embedded font (DejaVu has no control
 * pictures such as ␛; its mono face no zero-width glyphs), and visible to
 * the reader, who must type the name right: a right-to-left override would
 * print "EX2010A<U+202E>gnp.exe" as "EX2010Aexe.png".
 */
export function inert(value: unknown): string {
  return String(value ?? '')
    .replace(/\r\n|[\r\n\v\f\u0085\u2028\u2029]/g, ' ')
    .replace(INVISIBLE, (c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** Backslash-escape what could start markup inline (CommonMark: escaping any ASCII punctuation is harmless). */
export function mdText(value: unknown): string {
  const s = inert(value);
  return s.replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
}

/** Text that starts a line: block markers (#, -, +, >, =, "1.") are escaped too. */
export function mdLine(value: unknown): string {
  return mdText(value).replace(/^([#+\-=>!])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}

/** A table cell: inline-escaped; `|` is escaped by mdText already, newlines become spaces. */
export function mdCell(value: unknown): string {
  return mdText(value);
}

/**
 * An inline code span. Code spans take backslashes literally, so Windows paths
 * survive exactly; the fence is longer than any backtick run inside.
 * In tables GFM unescapes `\|` before inline parsing, so `|` is escaped there.
 */
export function mdCode(value: unknown, inTable = false): string {
  let s = inert(value);
  if (s === '') return ''; // an empty code span is not valid CommonMark: print nothing
  if (inTable) s = s.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') || (s.startsWith(' ') && s.endsWith(' ') && s.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}
