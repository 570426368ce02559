/**
 * Markdown escaping for values printed by the templates. Handlebars' own HTML
 * escaping is off (noEscape); these helpers make any AD value inert Markdown.
 * The Markdown is also read as plain text (a mailed drift report, a binder in
 * a wiki or a diff), so literal values are set as code spans, where
 * backslashes and brackets need no escaping, and prose is escaped only where
 * CommonMark would otherwise read markup.
 */
import { C1, charClass, INVISIBLE_FORMAT } from '../unicode.js';

/** Control characters (C0 but TAB and the line breaks above, DEL, C1) and invisible format characters. */
const INVISIBLE = charClass('\\u0000-\\u0008\\u000e-\\u001f', C1, INVISIBLE_FORMAT);
/** Any character inert() changes (not global: a test keeps no state between calls). */
const NOT_INERT = new RegExp(`[\\r\\n\\v\\f\\u0085\\u2028\\u2029${INVISIBLE.source.slice(1, -1)}]`);

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
  const s = String(value ?? '');
  // almost every value is inert already: no copy made for it
  if (!NOT_INERT.test(s)) return s;
  return s
    .replace(/\r\n|[\r\n\v\f\u0085\u2028\u2029]/g, ' ')
    .replace(INVISIBLE, (c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** A word that is a literal value: a path or share (backslash), a URL, an IPv6 binding or range ([::]:587). */
const LITERAL = /\\|[[\]]|^[a-z][a-z0-9+.-]*:\/\//i;
/** Where a Windows path starts: a drive (C:\) or a UNC share (\\server). */
const PATH_START = /^[A-Za-z]:\\|^\\\\/;
/** Sentence punctuation that ends the word rather than the value ("... at \\nas1\certs." → the path without the dot). */
const TRAILING = /[.,;:!?'")]+$/;
const LEADING = /^['"(]+/;

const count = (s: string, c: string) => s.split(c).length - 1;
/** What escapeProse escapes or LITERAL starts a code span at; a text without any is printed as it is. */
const MAY_NEED_MARKUP = /[\\`*[\]<>|~_&]|:\/\//;

/**
 * Prose escaping: only what would be markup. `_` only at a word boundary
 * (intraword `_` opens no emphasis), `&` only before an entity name, `\`,
 * `` ` ``, `*`, `[`, `]`, `<`, `>`, `|` and `~` always (`|` would split a
 * table cell, `~` strikes through in GFM).
 */
function escapeProse(s: string): string {
  return s
    .replace(/[\\`*[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/_/g, (c, i: number) => (/[\p{L}\p{N}]/u.test(s[i - 1] ?? '') && /[\p{L}\p{N}]/u.test(s[i + 1] ?? '') ? c : `\\${c}`))
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&');
}

/**
 * Inline text: literal words (paths, shares, URLs, bindings) become code
 * spans, the rest is escaped prose. A path with spaces stays one span: a
 * path's words are joined while a later word still has a backslash and does
 * not start another path ("C:\Program Files\Exchsrvr"). Words with `|` stay
 * prose (escaped): a code span in a table cell would need `\|`, which shows
 * outside tables.
 */
export function mdText(value: unknown): string {
  const text = inert(value);
  // most values (names, versions, numbers) hold nothing to escape and no literal: they are their own Markdown
  if (!MAY_NEED_MARKUP.test(text)) return text;
  const parts = text.split(/(\s+)/); // words at even indexes, whitespace between
  const out: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const word = parts[i] as string;
    const lead = LEADING.exec(word)?.[0] ?? '';
    if (word.length < 2 || !LITERAL.test(word) || word.includes('|')) {
      out.push(escapeProse(word), parts[i + 1] ?? '');
      continue;
    }
    // the literal runs to the last later word of the same path (words with a backslash that start no new path)
    let end = i;
    if (PATH_START.test(word.slice(lead.length))) {
      for (let j = i + 2; j < parts.length; j += 2) {
        const w = parts[j] as string;
        if (PATH_START.test(w.replace(LEADING, '')) || w.includes('|') || parts[j - 1] !== ' ') break;
        if (w.includes('\\')) end = j;
      }
    }
    let literal = parts.slice(i, end + 1).join('').slice(lead.length);
    let tail = TRAILING.exec(literal)?.[0] ?? '';
    // a closing parenthesis the value opened is the value's: "Files (x86)"
    while (tail.startsWith(')') && count(literal.slice(0, -tail.length), '(') > count(literal.slice(0, -tail.length), ')')) tail = tail.slice(1);
    if (tail) literal = literal.slice(0, -tail.length);
    if (literal === '') {
      out.push(escapeProse(parts.slice(i, end + 1).join('')), parts[end + 1] ?? '');
    } else {
      out.push(escapeProse(lead), mdCode(literal), escapeProse(tail), parts[end + 1] ?? '');
    }
    i = end;
  }
  return out.join('');
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
  // no backtick and nothing to escape (the usual path, name or DN): one backtick each side, padded as below
  if (!s.includes('`') && !(inTable && s.includes('|'))) {
    const pad = s.charCodeAt(0) === 0x20 && s.charCodeAt(s.length - 1) === 0x20 && s.trim() !== '' ? ' ' : '';
    return `\`${pad}${s}${pad}\``;
  }
  if (inTable) s = s.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') || (s.startsWith(' ') && s.endsWith(' ') && s.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}
