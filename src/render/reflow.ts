/**
 * Wraps the Markdown's long prose lines, so the binder and the drift report
 * read as plain text (a mail, a diff, a terminal) and not as 600-character
 * lines. Only paragraphs and list items are wrapped, only at spaces outside
 * code spans (a line break inside a code span would print as a space inside
 * the value), and never where the next line would start a block (a list,
 * heading, quote, table, HTML or a setext underline). A soft line break
 * prints as a space in CommonMark, so the HTML and the PDF stay the same.
 * Tables, headings, fenced code and comments are left as they are.
 */

import { parseDn } from '../dn.js';

/** Plain-text width the prose is wrapped to. */
export const WRAP_WIDTH = 100;

/** A line that starts with one of these (after its indent) would be read as the start of a block. */
const BLOCK_START = /^(?:[#>+*=|<_~-]|`{3}|\d+[.)])/;
/** A list item whose text itself opens a block (a heading, a quote, a nested list on the same line). */
const BLOCK_IN_ITEM = /^(?:#{1,6}(?:\s|$)|>|`{3}|~{3}|<|[-+*](?:\s|$)|\d+[.)](?:\s|$))/;
const LIST_ITEM = /^(\s*)([-+*]|\d+[.)])(\s+)(\[[ xX]\]\s+)?/;
/** A fenced code block's opening (or closing) line: its marker. */
export const FENCE = /^\s*(`{3,}|~{3,})/;

/** Whether `line` closes the fence opened with `marker`: the same character, at least as many, nothing else on the line. */
export function closesFence(marker: string, line: string): boolean {
  const f = FENCE.exec(line);
  return f !== null && (f[1] as string)[0] === marker[0] && (f[1] as string).length >= marker.length && line.trim() === f[1];
}

/** Offsets of the spaces where a line may break: outside code spans, after no backslash. */
function breakPoints(line: string, from: number): number[] {
  const points: number[] = [];
  let i = from;
  while (i < line.length) {
    const c = line[i];
    if (c === '\\') { i += 2; continue; }
    if (c === '`') {
      let n = 0;
      while (line[i + n] === '`') n++;
      // the span closes at the next run of exactly n backticks; without one the run is literal text
      let j = i + n;
      let close = -1;
      while (j < line.length) {
        if (line[j] !== '`') { j++; continue; }
        let m = 0;
        while (line[j + m] === '`') m++;
        if (m === n) { close = j; break; }
        j += m;
      }
      i = close < 0 ? i + n : close + n;
      continue;
    }
    if (c === ' ' && i > from && line[i - 1] !== ' ' && line[i - 1] !== '\\') points.push(i);
    i++;
  }
  return points;
}

/** One long prose line → lines of at most `width` characters where a safe break exists. */
function wrapLine(line: string, width: number): string[] {
  const item = LIST_ITEM.exec(line);
  const lead = item ? item[0].length : (/^\s*/.exec(line)?.[0].length ?? 0);
  // continuation lines line up with the item's text (a task box is part of the text)
  const indent = ' '.repeat(item ? (item[1] as string).length + (item[2] as string).length + (item[3] as string).length : lead);
  const points = breakPoints(line, lead).filter((p) => {
    const next = line.slice(p).trimStart();
    // nor may the first line be left as a thematic break (a blank to write on, ___…, alone)
    return next !== '' && !BLOCK_START.test(next) && !/^[-*_\s]*$/.test(line.slice(lead, p));
  });
  // words between break points, each with the whitespace that followed it
  const words: { text: string; sep: string }[] = [];
  let start = 0;
  for (const p of points) {
    let end = p;
    while (line[end] === ' ') end++;
    words.push({ text: line.slice(start, p), sep: line.slice(p, end) });
    start = end;
  }
  words.push({ text: line.slice(start), sep: '' });
  const out: string[] = [];
  let cur = '';
  let sep = '';
  for (const w of words) {
    if (cur === '') cur = out.length ? indent + w.text : w.text;
    else if (cur.length + sep.length + w.text.length <= width) cur += sep + w.text;
    else { out.push(cur); cur = indent + w.text; }
    sep = w.sep;
  }
  out.push(cur);
  return out;
}

/** The whole document: prose lines wrapped, everything else as it is. */
export function reflow(markdown: string, width = WRAP_WIDTH): string {
  return reflowLines(markdown.split('\n'), width).join('\n');
}

/** reflow() over the document's lines (the binder's passes share one split and one join). */
export function reflowLines(lines: readonly string[], width = WRAP_WIDTH): string[] {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    if (fence !== null) {
      if (closesFence(fence, line)) fence = null;
      out.push(line);
      continue;
    }
    const f = FENCE.exec(line);
    if (f) { fence = f[1] as string; out.push(line); continue; }
    const body = line.trimStart();
    // four spaces may be an indented code block, a list item may hold a heading or a quote: left alone
    const item = LIST_ITEM.exec(line);
    if (line.length <= width || body === '' || /^[|#<>]/.test(body) || /^ {4}/.test(line) || (item && BLOCK_IN_ITEM.test(line.slice(item[0].length)))) {
      out.push(line);
      continue;
    }
    for (const l of wrapLine(line, width)) out.push(l);
  }
  return out;
}

/** A value that is a DN of two or more RDNs (parsed, not guessed: an escaped comma is not a boundary). */
export function dnParts(value: string): string[] | null {
  if (!/^[A-Za-z][A-Za-z0-9-]*=/.test(value)) return null;
  let rdns;
  try { rdns = parseDn(value); } catch { return null; }
  if (rdns.length < 2) return null;
  // each part ends with its separator: joined with nothing they are the DN again, character for character
  return rdns.map((r, k) => value.slice(k === 0 ? 0 : r.start, k + 1 < rdns.length ? (rdns[k + 1] as { start: number }).start : value.length));
}

/**
 * A DN in lines of at most `width` characters, broken only between RDNs (each
 * line but the last ends with its comma). An RDN longer than a line is a line
 * of its own. Joined with nothing the lines are the DN: a reader copies them
 * back into one value.
 */
export function dnLines(dn: string, width: number): string[] {
  const parts = dnParts(dn);
  if (!parts) return [dn];
  const out: string[] = [];
  let line = '';
  for (const p of parts) {
    if (line && line.length + p.trimEnd().length > width) { out.push(line); line = ''; }
    line += p;
  }
  if (line) out.push(line);
  return out;
}

/**
 * Any value in lines of at most `width` characters: a DN between RDNs, other
 * text after `\ / , ;` or a space (the break character ends the line, so the
 * lines joined with nothing are the value), and a value with no such place
 * cut at the width.
 */
export function valueLines(value: string, width: number): string[] {
  if (value.length <= width) return [value];
  if (dnParts(value)) return dnLines(value, width);
  const out: string[] = [];
  let rest = value;
  while (rest.length > width) {
    let cut = -1;
    for (let i = width - 1; i > width / 3; i--) if ('\\/,; '.includes(rest[i] as string)) { cut = i + 1; break; }
    if (cut < 0) cut = width;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest) out.push(rest);
  return out;
}

/** Width of a command line in the Markdown (the fence's indent included), and about what the PDF's code block holds. */
export const COMMAND_WIDTH = 90;

/**
 * `Install-WindowsFeature A, B, C -Restart`: a cmdlet whose first argument is a
 * list of bare words, then its named parameters. Only this shape is wrapped:
 * PowerShell reads a line that ends in the comma of an argument list as
 * continued on the next line (Microsoft, "PowerShell 101, Chapter 4:
 * One-liners and the pipeline": "Natural line breaks can occur at commonly
 * used characters including comma (,)"; about_Parsing: in argument mode a
 * comma-separated list of bare words is one array argument). No backtick is
 * added (a space typed after it breaks the command), no token changes.
 */
const ARGUMENT_LIST = /^([A-Z][A-Za-z]*-[A-Za-z]+) ((?:[A-Za-z0-9][\w.-]*, )+[A-Za-z0-9][\w.-]*)((?: -[A-Za-z]+(?: [^\s-][^\s]*)?)*)$/;

/**
 * A PowerShell command whose argument list is wrapped after its commas, each
 * continuation indented 4 spaces; null when the command has no such list.
 * Typed or pasted line by line it is the same command (the console waits for
 * the rest after a trailing comma).
 */
export function wrapArgumentList(command: string, width: number): string[] | null {
  const m = ARGUMENT_LIST.exec(command);
  if (!m) return null;
  const [, cmdlet, list, rest] = m as unknown as [string, string, string, string];
  const words = list.split(', ').map((item, k, all) => (k === all.length - 1 ? `${item}${rest}` : `${item},`));
  const lines: string[] = [];
  let line = `${cmdlet} ${words[0] as string}`;
  for (const word of words.slice(1)) {
    if (line.length + 1 + word.length > width) { lines.push(line); line = `    ${word}`; }
    else line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

/** The note under a code block with a line too long for the page, which must not be broken where the print wraps it. */
export const TYPE_AS_ONE_LINE = 'Type each command as one line; ↪ marks where the print wraps one.';
/** A command line longer than this (its indent included) may not fit the PDF's code block: the block gets the note. */
export const NOTE_WIDTH = 96;

/**
 * Long command lines in fenced code blocks: a PowerShell argument list is
 * wrapped after its commas (wrapArgumentList); any other line (a Setup.exe
 * line of cmd.exe, which has no line continuation at all, a quoted path, a
 * pipeline) stays one line, and a block with one longer than NOTE_WIDTH is
 * followed by TYPE_AS_ONE_LINE: the PDF wraps it on paper after a mark, and
 * the reader types it as one line.
 */
export function wrapCommands(markdown: string): string {
  return wrapCommandLines(markdown.split('\n')).join('\n');
}

/** wrapCommands() over the document's lines. */
export function wrapCommandLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  let fence: { indent: string; marker: string; long: boolean } | null = null;
  for (const line of lines) {
    const f = FENCE.exec(line);
    if (!fence && f) {
      fence = { indent: /^\s*/.exec(line)![0], marker: f[1] as string, long: false };
      out.push(line);
      continue;
    }
    if (fence && closesFence(fence.marker, line)) {
      out.push(line);
      if (fence.long) out.push('', `${fence.indent}${TYPE_AS_ONE_LINE}`);
      fence = null;
      continue;
    }
    if (!fence || line.length <= COMMAND_WIDTH) { out.push(line); continue; }
    const indent = line.startsWith(fence.indent) ? fence.indent : '';
    const wrapped = wrapArgumentList(line.slice(indent.length), COMMAND_WIDTH - indent.length);
    if (wrapped) out.push(...wrapped.map((l) => `${indent}${l}`));
    else { out.push(line); if (line.length > NOTE_WIDTH) fence.long = true; }
  }
  return out;
}
