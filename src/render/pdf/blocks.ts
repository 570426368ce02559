/**
 * markdown-it tokens → a small block tree the PDF writer walks. Only what the
 * templates use (and plain CommonMark/GFM an edited template may add) is kept;
 * print conventions arrive as HTML-comment directives (see templates/README.md).
 */
import MarkdownIt from 'markdown-it';

type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

export type FontKind = 'regular' | 'bold' | 'italic' | 'boldItalic' | 'mono';
/** pageRef: the page of this named destination, printed after a link to it (paper has no links) */
export type Run = { text: string; font: FontKind; href?: string; pageRef?: string };

export type Block =
  | { type: 'heading'; level: number; runs: Run[] }
  | { type: 'paragraph'; runs: Run[] }
  | { type: 'list'; ordered: boolean; start: number; items: ListItem[] }
  | { type: 'table'; header: Run[][]; rows: Run[][][] }
  | { type: 'code'; text: string }
  | { type: 'quote'; blocks: Block[] }
  | { type: 'hr' }
  | { type: 'directive'; name: string; arg: string };

export type ListItem = { task: boolean | null; blocks: Block[] };

/** `<!-- name -->` or `<!-- name: arg -->`; anything else in a comment is ignored. */
function directive(html: string): Block[] {
  const out: Block[] = [];
  for (const m of html.matchAll(/<!--\s*([a-z][a-z-]*)\s*(?::\s*([^>]*?))?\s*-->/g)) {
    out.push({ type: 'directive', name: m[1] as string, arg: (m[2] ?? '').trim() });
  }
  return out;
}

function inlineRuns(tok: Token | undefined): Run[] {
  const runs: Run[] = [];
  let bold = 0;
  let italic = 0;
  let href: string | undefined;
  const font = (): FontKind => (bold && italic ? 'boldItalic' : bold ? 'bold' : italic ? 'italic' : 'regular');
  const linked = (text: string, f: FontKind): Run => (href ? { text, font: f, href } : { text, font: f });
  for (const c of tok?.children ?? []) {
    switch (c.type) {
      case 'text': runs.push(linked(c.content, font())); break;
      case 'code_inline': runs.push(linked(c.content, 'mono')); break;
      case 'strong_open': bold++; break;
      case 'strong_close': bold--; break;
      case 'em_open': italic++; break;
      case 'em_close': italic--; break;
      case 'softbreak': runs.push({ text: ' ', font: font() }); break;
      case 'hardbreak': runs.push({ text: '\n', font: font() }); break;
      case 'link_open': { const h = c.attrGet('href'); href = h === null ? undefined : String(h); break; }
      case 'link_close': if (href?.startsWith('#') && href.length > 1) runs.push({ text: '', font: font(), pageRef: href.slice(1) }); href = undefined; break;
      case 'html_inline': if (!c.content.startsWith('<!--')) runs.push({ text: c.content, font: font() }); break;
      case 'image': runs.push({ text: c.content, font: font() }); break;
      default: if (c.content) runs.push({ text: c.content, font: font() });
    }
  }
  return runs;
}

/** Strip a GFM task marker from the first run of a list item; null when it is not a task. */
function takeTask(blocks: Block[]): boolean | null {
  const first = blocks[0];
  if (!first || first.type !== 'paragraph') return null;
  const run = first.runs[0];
  if (!run || run.font === 'mono') return null;
  const m = /^\[([ xX])\]\s+/.exec(run.text);
  if (!m) return null;
  run.text = run.text.slice(m[0].length);
  if (!run.text) first.runs.shift();
  return m[1] !== ' ';
}

/** One parser for all pieces: a markdown-it instance keeps no state between parse calls. */
let parser: InstanceType<typeof MarkdownIt> | null = null;

export function parseBlocks(markdown: string): Block[] {
  parser ??= new MarkdownIt({ html: true, linkify: false });
  const tokens = parser.parse(markdown, {});
  let i = 0;

  function until(closeType: string | null): Block[] {
    const blocks: Block[] = [];
    while (i < tokens.length) {
      const t = tokens[i] as Token;
      if (closeType && t.type === closeType) { i++; return blocks; }
      i++;
      switch (t.type) {
        case 'heading_open': {
          blocks.push({ type: 'heading', level: Number(t.tag.slice(1)), runs: inlineRuns(tokens[i]) });
          i += 2; break;
        }
        case 'paragraph_open': {
          blocks.push({ type: 'paragraph', runs: inlineRuns(tokens[i]) });
          i += 2; break;
        }
        case 'bullet_list_open':
        case 'ordered_list_open': {
          const ordered = t.type === 'ordered_list_open';
          const start = Number(t.attrGet('start') ?? 1);
          const close = ordered ? 'ordered_list_close' : 'bullet_list_close';
          const items: ListItem[] = [];
          while (i < tokens.length && (tokens[i] as Token).type !== close) {
            if ((tokens[i] as Token).type === 'list_item_open') {
              i++;
              const inner = until('list_item_close');
              items.push({ task: takeTask(inner), blocks: inner });
            } else i++;
          }
          i++;
          blocks.push({ type: 'list', ordered, start, items });
          break;
        }
        case 'table_open': {
          const header: Run[][] = [];
          const rows: Run[][][] = [];
          let row: Run[][] | null = null;
          let inHead = false;
          while (i < tokens.length && (tokens[i] as Token).type !== 'table_close') {
            const c = tokens[i] as Token;
            if (c.type === 'thead_open') inHead = true;
            else if (c.type === 'thead_close') inHead = false;
            else if (c.type === 'tr_open') row = [];
            else if (c.type === 'tr_close' && row) { if (inHead) header.push(...row); else rows.push(row); row = null; }
            else if ((c.type === 'th_open' || c.type === 'td_open') && row) { row.push(inlineRuns(tokens[i + 1])); }
            i++;
          }
          i++;
          blocks.push({ type: 'table', header, rows });
          break;
        }
        case 'fence':
        case 'code_block': blocks.push({ type: 'code', text: t.content.replace(/\n$/, '') }); break;
        case 'blockquote_open': blocks.push({ type: 'quote', blocks: until('blockquote_close') }); break;
        case 'hr': blocks.push({ type: 'hr' }); break;
        case 'html_block': {
          const d = directive(t.content);
          if (d.length) blocks.push(...d);
          else if (!t.content.trim().startsWith('<!--')) blocks.push({ type: 'paragraph', runs: [{ text: t.content.trim(), font: 'mono' }] });
          break;
        }
        default: break;
      }
    }
    return blocks;
  }
  return until(null);
}

/** Raw HTML blocks (CommonMark kinds 1–5) that run on across blank lines until their end marker; as markdown-it's html_block. */
const RAW_HTML: [RegExp, RegExp][] = [
  [/^ {0,3}<(script|pre|style|textarea)(?=(\s|>|$))/i, /<\/(script|pre|style|textarea)>/i],
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<\?/, /\?>/],
  [/^ {0,3}<![A-Za-z]/, />/],
  [/^ {0,3}<!\[CDATA\[/, /\]\]>/],
];

/** A part of the Markdown read as if it were not there, [from, to), both at the start of a line (contentsRange). */
export type Skip = [number, number];

/**
 * Where the Markdown may be cut into pieces that parse, each on its own, to
 * exactly the blocks the whole would: before an ATX heading at the start of a
 * line that follows a blank line, outside fenced code and raw HTML. Such a
 * line ends any list, quote, table or paragraph before it, so nothing spans
 * the cut. Parsing piece by piece keeps markdown-it's tokens (about 150 MB for
 * a 2,000-page binder) from ever being alive all at once.
 *
 * When in doubt it does not cut: a fence or HTML opener inside a list item
 * only means fewer cuts. Returns the offsets where pieces start.
 */
export function sectionStarts(markdown: string, skip?: Skip): number[] {
  const starts = [0];
  // CR and NUL are rewritten by markdown-it before parsing; such input is rare, so keep it whole
  if (skip ? /[\r\0]/.test(markdown.slice(0, skip[0])) || /[\r\0]/.test(markdown.slice(skip[1])) : /[\r\0]/.test(markdown)) return starts;
  let fence: RegExp | null = null;
  let html: RegExp | null = null;
  let blank = true;
  let at = 0;
  const n = markdown.length;
  while (at < n) {
    if (skip && at === skip[0]) { at = skip[1]; continue; }
    let end = markdown.indexOf('\n', at);
    if (end < 0) end = n;
    // Only a line whose first character after spaces is one of ` ~ < # can open
    // or close anything below (or, in raw HTML, any line): the others are
    // looked at without cutting them out of the document.
    let k = at;
    while (k < end && markdown.charCodeAt(k) === 32) k++;
    const c = k < end ? markdown.charCodeAt(k) : -1;
    if (!html && c !== 0x60 && c !== 0x7e && (fence || (c !== 0x3c && c !== 0x23))) {
      while (k < end && (markdown.charCodeAt(k) === 32 || markdown.charCodeAt(k) === 9)) k++;
      blank = k === end;
      at = end + 1;
      continue;
    }
    const line = markdown.slice(at, end);
    if (fence) { if (fence.test(line)) fence = null; }
    else if (html) { if (html.test(line)) html = null; }
    else {
      const f = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
      if (f && !(f[1]!.startsWith('`') && f[2]!.includes('`'))) {
        fence = new RegExp(`^ {0,3}${f[1]![0] === '`' ? '`' : '~'}{${f[1]!.length},}[ \\t]*$`);
      } else {
        const raw = RAW_HTML.find(([open]) => open.test(line));
        if (raw && !raw[1].test(line)) html = raw[1];
        else if (blank && at > 0 && /^#{1,6}(?:[ \t]|$)/.test(line)) starts.push(at);
      }
    }
    blank = /^[ \t]*$/.test(line);
    at = end + 1;
  }
  return starts;
}

/** What the whole document says before any page is laid out: its pieces, and how many chapters the contents list. */
export type Outline = { sections: string[]; tocEntries: number; tocTitles: string[] };

/*
 * What a section must contain for its block tokens to matter to the outline;
 * a section without it is not parsed here (most of a binder: its tables).
 * Each is a necessary condition, so testing for it never changes the answer:
 * - a top-level level-1 heading starts a line with at most three spaces and
 *   `#`, or is a setext heading, whose `=` underline starts a line the same way
 *   (one inside a list item or a quote is indented or quoted, and is not counted);
 * - the toc directive is a comment;
 * - a link reference definition (anywhere, also in a list item or a quote) is
 *   a `[` at the start of a line, after nothing but spaces, quote markers and
 *   list markers, with `]:` after it.
 */
const MAY_H1 = /^ {0,3}(?:#(?:[ \t]|$)|=)/m;
const MAY_REFERENCE = /^[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+[ \t>]*)*\[/m;

/**
 * Cuts the Markdown (see sectionStarts) and counts the chapters after the
 * `<!-- toc -->` directive, from block tokens only (no inline parsing, a third
 * of the cost), of the sections that can hold one (see MAY_H1). Link reference
 * definitions apply across the whole document, so a document that has any
 * stays one piece.
 */
export function outline(markdown: string, skip: Skip | null = null): Outline {
  const md = new MarkdownIt({ html: true, linkify: false });
  md.core.ruler.disable(['inline']);
  const scan = (sections: string[]) => {
    let toc = false;
    let tocEntries = 0;
    const tocTitles: string[] = [];
    let references = false;
    for (const section of sections) {
      const matters = (toc ? MAY_H1.test(section) : section.includes('<!--'))
        || (!references && section.includes(']:') && MAY_REFERENCE.test(section));
      if (!matters) continue;
      const env: Parameters<typeof md.parse>[1] = {};
      let pendingTitle = false;
      for (const t of md.parse(section, env)) {
        if (pendingTitle && t.type === 'inline') { tocTitles.push(headingText(t.content)); pendingTitle = false; continue; }
        if (t.level !== 0) continue;
        if (!toc && t.type === 'html_block') toc = directive(t.content).some((d) => d.type === 'directive' && d.name === 'toc');
        else if (toc && t.type === 'heading_open' && t.tag === 'h1') { tocEntries++; pendingTitle = true; }
      }
      references ||= Object.keys(env.references ?? {}).length > 0;
    }
    return { sections, tocEntries, tocTitles, references };
  };
  // the sections are slices of the caller's string (no copy of the document), the one around `skip` joined from two
  const piece = (from: number, to: number) => (skip && from < skip[0] && to >= skip[1] ? markdown.slice(from, skip[0]) + markdown.slice(skip[1], to) : markdown.slice(from, to));
  const starts = skip ? sectionStarts(markdown, skip) : sectionStarts(markdown);
  const cut = scan(starts.map((s, i) => piece(s, starts[i + 1] ?? markdown.length)));
  const { sections, tocEntries, tocTitles } = cut.references && cut.sections.length > 1 ? scan([piece(0, markdown.length)]) : cut;
  return { sections, tocEntries, tocTitles };
}

/** A heading's text as printed (its inline Markdown parsed), for the contents. */
function headingText(inline: string): string {
  parser ??= new MarkdownIt({ html: true, linkify: false });
  return plainText(inlineRuns(parser.parseInline(inline, {})[0]));
}

export function plainText(runs: Run[]): string {
  return runs.map((r) => r.text).join('');
}
