/**
 * Markdown → one self-contained HTML page (intranet, wiki, ticket), from the
 * same Markdown the PDF is drawn from, with markdown-it. Everything is inline:
 * the style sheet (screen and print), no scripts, no fonts, images or links
 * fetched from anywhere. The print conventions (templates/README.md) become
 * HTML: `<!-- toc -->` a linked table of contents, `<!-- pagebreak -->` a page
 * break when printed, `<!-- cover -->` the title block, `<!-- anchor: x -->`
 * an id. Task items get drawn check boxes. Raw HTML from an edited template
 * is shown as text, never passed through: the page carries directory values.
 */
import MarkdownIt from 'markdown-it';
import { withoutContents } from './contents.js';
import { inert } from './escape.js';
import { dnParts } from './reflow.js';
import { RAW_CONTINUED } from './view/build.js';

type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

export type HtmlOptions = { title: string; lang?: string; footer?: string };

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `<!-- name -->` or `<!-- name: arg -->` directives of one comment block. */
function directives(html: string): { name: string; arg: string }[] {
  return [...html.matchAll(/<!--\s*([a-z][a-z-]*)\s*(?::\s*([^>]*?))?\s*-->/g)].map((m) => ({ name: m[1] as string, arg: (m[2] ?? '').trim() }));
}

/** Ids as the PDF names its destinations ("Server EX2007" → "server-ex2007"), so the same fragment works in both. */
function slugger(): (title: string) => string {
  const seen = new Map<string, number>();
  return (title) => {
    const base = title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'section';
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  };
}

const plain = (inline: Token | undefined) => (inline?.children ?? []).map((c) => (c.type === 'text' || c.type === 'code_inline' ? c.content : '')).join('');

/** A DN split into lines (code spans ending in ',' joined by hard breaks; see the codelines helper): one code span again. */
function joinDnLines(inline: Token): void {
  const kids = inline.children ?? [];
  if (kids.length < 3 || !kids.every((c, k) => (k % 2 === 0 ? c.type === 'code_inline' : c.type === 'hardbreak'))) return;
  const codes = kids.filter((c) => c.type === 'code_inline');
  // (not parsed again: the view made the text inert, and a control character shown as U+001B has a '+' in it)
  if (!codes.slice(0, -1).every((c) => c.content.endsWith(',')) || !/^[A-Za-z][A-Za-z0-9-]*=/.test((codes[0] as Token).content)) return;
  (codes[0] as Token).content = codes.map((c) => c.content).join('');
  inline.children = [codes[0] as Token];
}

/**
 * Appendix B's tables print a long value in several rows, each further row
 * marked ↪ in its first cell (the Markdown stays within its width, the PDF
 * breaks a DN only between RDNs), and a multi-valued attribute one value per
 * row, each further value with an empty first cell.
 * In the page they are one row again: a DN's lines one code span (the browser
 * breaks it between RDNs, and it copies as one DN), other values one per line.
 */
function joinContinuationRows(tokens: Token[]): Token[] {
  const out: Token[] = [];
  let lastCell: Token | null = null; // the previous body row's last cell (inline)
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i] as Token;
    if (t.type === 'tbody_open' || t.type === 'tbody_close') lastCell = null;
    if (t.type === 'tr_open' && lastCell) {
      const end = tokens.findIndex((x, k) => k > i && x.type === 'tr_close');
      const cells = tokens.slice(i, end).filter((x) => x.type === 'inline');
      const first = cells[0];
      const last = cells[cells.length - 1];
      const mark = first?.content.trim();
      if (end > 0 && cells.length === 2 && first && last && (mark === '' || mark === RAW_CONTINUED) && (last.children ?? []).every((c) => c.type === 'code_inline')) {
        const prev = (lastCell.children ?? []).at(-1);
        const next = (last.children ?? [])[0];
        if (prev && next) {
          // ↪: the rest of the value above, joined with nothing; an empty first cell: the attribute's next value, on a line of its own
          if (mark === RAW_CONTINUED && prev.type === 'code_inline') prev.content += next.content;
          else lastCell.children?.push(new (t.constructor as new (type: string, tag: string, nesting: number) => Token)('hardbreak', 'br', 0), next);
        }
        i = end + 1;
        continue;
      }
    }
    if (t.type === 'tr_open') {
      const end = tokens.findIndex((x, k) => k > i && x.type === 'tr_close');
      const inBody = out.some((x) => x.type === 'tbody_open') && !out.slice(out.map((x) => x.type).lastIndexOf('tbody_open')).some((x) => x.type === 'tbody_close');
      lastCell = inBody ? (tokens.slice(i, end).filter((x) => x.type === 'inline').at(-1) ?? null) : null;
    }
    out.push(t);
    i++;
  }
  return out;
}

/** A DN in a code span: its RDNs kept whole, a line break allowed only after a comma; copied, it is the DN as written. */
function dnHtml(dn: string): string | null {
  const parts = dnParts(dn);
  if (!parts) return null;
  return `<code class="dn">${parts.map((p) => `<span>${escapeHtml(p)}</span>`).join('<wbr>')}</code>`;
}

export function renderHtml(markdown: string, opts: HtmlOptions): string {
  const md = new MarkdownIt({ html: true, linkify: false });
  const parsed = md.parse(withoutContents(markdown), {}); // the page draws its own contents (a nav)
  for (const t of parsed) if (t.type === 'inline') joinDnLines(t);
  const tokens = joinContinuationRows(parsed);
  const slug = slugger();
  // ids for headings; the chapters the contents list (level-1 headings after <!-- toc -->)
  const chapters: { title: string; id: string }[] = [];
  let toc = false;
  tokens.forEach((t, i) => {
    if (t.type === 'html_block' && directives(t.content).some((d) => d.name === 'toc')) toc = true;
    if (t.type !== 'heading_open') return;
    const title = plain(tokens[i + 1]);
    const id = slug(title);
    t.attrSet('id', id);
    if (toc && t.tag === 'h1') chapters.push({ title, id });
  });
  // task items: "[ ] " / "[x] " at the start of a list item's first paragraph
  tokens.forEach((t, i) => {
    if (t.type !== 'inline' || tokens[i - 1]?.type !== 'paragraph_open' || tokens[i - 2]?.type !== 'list_item_open') return;
    const first = t.children?.[0];
    const m = first?.type === 'text' ? /^\[([ xX])\]\s+/.exec(first.content) : null;
    if (!first || !m) return;
    first.content = first.content.slice(m[0].length);
    const box = new (t.constructor as new (type: string, tag: string, nesting: number) => Token)('html_inline', '', 0);
    box.content = `<span class="box${m[1] === ' ' ? '' : ' done'}" role="img" aria-label="${m[1] === ' ' ? 'to do' : 'done'}"></span>`;
    t.children?.unshift(box);
    tokens[i - 2]?.attrJoin('class', 'task');
  });
  let coverNext = false;
  md.renderer.rules.html_block = (tks, idx) => {
    const content = (tks[idx] as Token).content;
    if (!content.trim().startsWith('<!--')) return `<pre class="raw">${escapeHtml(content)}</pre>\n`;
    return directives(content).map((d) => {
      if (d.name === 'pagebreak') return '<div class="pagebreak"></div>\n';
      if (d.name === 'cover') { coverNext = true; return ''; }
      if (d.name === 'anchor' && d.arg) return `<a id="${escapeHtml(d.arg)}"></a>\n`;
      if (d.name === 'toc') {
        return `<nav class="toc"><h2>Contents</h2><ol>\n${chapters.map((c) => `<li><a href="#${c.id}">${escapeHtml(c.title)}</a></li>`).join('\n')}\n</ol></nav>\n`;
      }
      return '';
    }).join('');
  };
  md.renderer.rules.html_inline = (tks, idx) => {
    const content = (tks[idx] as Token).content;
    if (content.startsWith('<span class="box')) return content;
    return content.startsWith('<!--') ? '' : escapeHtml(content);
  };
  const code = md.renderer.rules.code_inline;
  md.renderer.rules.code_inline = (tks, idx, options, env, self) =>
    dnHtml((tks[idx] as Token).content) ?? (code ? code(tks, idx, options, env, self) : self.renderToken(tks, idx, options));
  const heading = md.renderer.rules.heading_open;
  md.renderer.rules.heading_open = (tks, idx, options, env, self) => {
    const t = tks[idx] as Token;
    if (coverNext && t.tag === 'h1') { coverNext = false; t.attrJoin('class', 'cover'); }
    return heading ? heading(tks, idx, options, env, self) : self.renderToken(tks, idx, options);
  };
  const body = md.renderer.render(tokens, md.options, {});
  const footer = opts.footer ? `<footer>${escapeHtml(inert(opts.footer))}</footer>\n` : '';
  return `<!DOCTYPE html>
<html lang="${escapeHtml(opts.lang ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="exbinder">
<title>${escapeHtml(inert(opts.title))}</title>
<style>
${CSS}
</style>
</head>
<body>
<main>
${body}</main>
${footer}</body>
</html>
`;
}

/** Screen and print styles; system fonts only (nothing is fetched). */
const CSS = `:root { --ink: #111; --grey: #555; --rule: #9a9a9a; --head: #e8e8e8; --code: #f0f0f0; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); font: 15px/1.45 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.7rem; border-bottom: 1px solid #888; padding-bottom: .2rem; margin: 2.2rem 0 .8rem; }
h1.cover { font-size: 2.3rem; border: 0; margin-top: 3rem; }
h2 { font-size: 1.3rem; margin: 1.6rem 0 .5rem; }
h3 { font-size: 1.1rem; margin: 1.2rem 0 .4rem; }
h4 { font-size: 1rem; margin: 1rem 0 .3rem; }
code.dn > span { white-space: nowrap; }
code, pre { font-family: "DejaVu Sans Mono", Consolas, "Liberation Mono", monospace; font-size: .9em; overflow-wrap: anywhere; }
pre { background: var(--code); padding: .5rem .7rem; white-space: pre-wrap; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .85rem; width: 100%; }
th, td { border: 1px solid var(--rule); padding: .2rem .35rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: var(--head); }
blockquote { margin: .5rem 0; padding-left: .8rem; border-left: 3px solid #bbb; color: #333; }
li.task { list-style: none; margin-left: -1.3rem; }
.box { display: inline-block; width: .8em; height: .8em; border: 1px solid #000; margin-right: .45em; vertical-align: -.05em; }
.box.done { background: linear-gradient(45deg, transparent 42%, #000 42%, #000 58%, transparent 58%); }
nav.toc ol { padding-left: 1.4rem; }
nav.toc a { text-decoration: none; }
.pagebreak { height: 0; }
footer { color: var(--grey); font-size: .8rem; text-align: center; padding: 1rem; border-top: 1px solid #ccc; }
@media print {
  @page { size: A4; margin: 18mm 16mm 18mm 16mm; }
  body { font-size: 9.5pt; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .pagebreak { break-after: page; }
  h1, h2, h3, h4 { break-after: avoid; }
  table { font-size: 8pt; }
  thead { display: table-header-group; }
  tr, pre, blockquote, li { break-inside: avoid; }
  footer { border: 0; }
}`;
