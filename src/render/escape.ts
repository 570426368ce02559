/**
 * Markdown escaping for values printed by the templates. Handlebars' own HTML
 * escaping is off (noEscape); these helpers make any AD value inert Markdown.
 */

/** Backslash-escape what could start markup inline (CommonMark: escaping any ASCII punctuation is harmless). */
export function mdText(value: unknown): string {
  const s = String(value ?? '').replace(/\r?\n/g, ' ');
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
  let s = String(value ?? '').replace(/\r?\n/g, ' ');
  if (s === '') return ''; // an empty code span is not valid CommonMark: print nothing
  if (inTable) s = s.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') || (s.startsWith(' ') && s.endsWith(' ') && s.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}
