/**
 * The Markdown's table of contents. The templates mark its place with
 * `<!-- toc -->`; the PDF and HTML renderers draw their own there (with page
 * numbers, or as a nav), but a Markdown viewer shows nothing for a comment.
 * So the Markdown gets a real one: a list of links to the level-1 headings
 * that follow, with the heading ids GitHub (and GitLab, VS Code, most wikis)
 * derive from the heading text. It sits between `<!-- toc -->` and
 * `<!-- /toc -->`, and withoutContents() takes it out again for the
 * renderers that draw their own.
 */
import MarkdownIt from 'markdown-it';
import { closesFence, FENCE } from './reflow.js';

const TOC = '<!-- toc -->';
const TOC_END = '<!-- /toc -->';
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;

let parser: MarkdownIt | undefined;
/** The characters markdown-it's inline rules start at (its default rule set; no typographer, no linkify). */
const MARKUP = /[\\`*_[\]<>&!~]/;

/** A heading's text as a reader sees it (code spans as their content, escapes resolved). */
function headingText(inline: string): string {
  // without a character that can open markup (an escape, a code span, emphasis, a link, HTML, an entity) the text is the heading
  if (!MARKUP.test(inline)) return inline;
  parser ??= new MarkdownIt({ html: true, linkify: false });
  const tokens = parser.parseInline(inline, {})[0]?.children ?? [];
  return tokens.map((t) => (t.type === 'text' || t.type === 'code_inline' ? t.content : '')).join('');
}

/**
 * GitHub's heading ids (github-slugger): lower case, punctuation and symbols
 * dropped (letters, digits, marks, `_`, `-` and spaces kept), spaces to `-`;
 * a repeated id gets -1, -2… in document order, counting every heading level.
 */
export function slugger(): (text: string) => string {
  const seen = new Map<string, number>();
  return (text) => {
    const base = text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    let slug = base;
    let n = seen.get(base) ?? 0;
    if (seen.has(base)) {
      do slug = `${base}-${++n}`; while (seen.has(slug));
      seen.set(base, n);
    }
    seen.set(slug, seen.get(slug) ?? 0);
    return slug;
  };
}

/** Escapes `[`, `]` and `\` outside code spans are already in the heading's Markdown; it can be the link text as it is. */
function linkText(inline: string): string {
  return inline.trim();
}

/** The Markdown with a linked list of the chapters (level-1 headings) after `<!-- toc -->`. */
export function withContents(markdown: string): string {
  const lines = markdown.split('\n');
  const count = lines.length;
  return contentsLines(lines).length === count ? markdown : lines.join('\n');
}

/** withContents() over the document's lines, in place (a binder has a hundred thousand of them): the list inserted, or nothing done. */
export function contentsLines(lines: string[]): string[] {
  const at = lines.indexOf(TOC);
  if (at < 0 || lines.includes(TOC_END)) return lines;
  const slug = slugger();
  const entries: string[] = [];
  let fence: string | null = null;
  lines.forEach((line, i) => {
    if (fence !== null) {
      if (closesFence(fence, line)) fence = null;
      return;
    }
    const f = FENCE.exec(line);
    if (f) { fence = f[1] as string; return; }
    const h = ATX.exec(line);
    if (!h) return;
    const inline = h[2] ?? '';
    const id = slug(headingText(inline));
    if (i > at && h[1] === '#') entries.push(`- [${linkText(inline)}](#${id})`);
  });
  if (!entries.length) return lines;
  lines.splice(at + 1, 0, '', '**Contents**', '', ...entries, '', TOC_END);
  return lines;
}

/** The Markdown without the linked list: for renderers that draw their own contents at `<!-- toc -->`. */
export function withoutContents(markdown: string): string {
  const range = contentsRange(markdown);
  return range ? markdown.slice(0, range[0]) + markdown.slice(range[1]) : markdown;
}

/**
 * Where withoutContents() cuts: [from, to) of the linked list (after the
 * `<!-- toc -->` line, up to and with the `<!-- /toc -->` line), or null. For
 * the PDF, which reads the Markdown around it without making a copy of the rest.
 */
export function contentsRange(markdown: string): [number, number] | null {
  const open = markdown.startsWith(`${TOC}\n`) ? 0 : markdown.indexOf(`\n${TOC}\n`) + 1;
  if (open <= 0 && !markdown.startsWith(TOC)) return null;
  const close = markdown.indexOf(`\n${TOC_END}\n`, open);
  if (close < 0) return null;
  return [open + TOC.length + 1, close + TOC_END.length + 2];
}
