/**
 * Markdown escaping for values printed by the templates. Handlebars' own HTML
 * escaping is off (noEscape); these helpers make any AD value inert Markdown.
 */

/**
 * Line breaks of every kind become one space: CommonMark ends a line at LF,
 * CR and CRLF alike, so a lone CR in a value would start a new block (a
 * heading, raw HTML) in the middle of a field. Other control characters
 * (C0, DEL, C1) are shown as Unicode control pictures / U+hhhh: inert in
 * Markdown, HTML and PDF, and visible to the reader.
 */
export function inert(value: unknown): string {
  return String(value ?? '')
    .replace(/\r\n|[\r\n\v\f\u0085\u2028\u2029]/g, ' ')
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f\u0080-\u009f]/g, (c) => {
      const n = c.charCodeAt(0);
      if (n < 0x20) return String.fromCharCode(0x2400 + n);
      if (n === 0x7f) return '\u2421';
      return `U+${n.toString(16).toUpperCase().padStart(4, '0')}`;
    });
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
