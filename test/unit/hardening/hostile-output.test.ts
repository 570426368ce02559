/**
 * Issue 10, hostile content end to end: the hostile organization
 * (scripts/gen-hostile.ts: control characters, lone CR, CRLF, Markdown and
 * HTML, bidi overrides, zero-width characters, 10,000+ character tokens in
 * names, paths, URLs and values) read through the LDIF source and the real
 * harvest, then written as every output a reader or a terminal sees: the
 * binder in Markdown, HTML (opened in headless Chromium) and PDF (read back
 * with poppler), the drift report as text, Markdown and JSON, and the
 * snapshot job's store files and terminal lines.
 *
 * The judge is structure: the same organization with every hostile character
 * replaced by `x` (the plain twin) must give exactly the same document
 * structure, and every hostile value must be there as text.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLayout } from '../../../scripts/layout-check.js';
import { AFTER, generateHostile, LONG, RENAMES, VALUES } from '../../../scripts/gen-hostile.js';
import { formatDriftJson, formatDriftMarkdown, formatDriftText } from '../../../src/render/drift.js';
import { inert } from '../../../src/render/escape.js';
import { renderBinder } from '../../../src/render/index.js';
import { diffSnapshots } from '../../../src/snapshot/diff.js';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { harvestExport } from '../render/helpers.js';
import { pagesText, pdfinfo, squash, writeTemp } from '../render/pdf-tools.js';
import { cli } from './helpers.js';
import { FIELD_ATTRIBUTES } from '../../../src/harvest/registry.js';

const dir = mkdtempSync(join(tmpdir(), 'exb-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Control characters a terminal acts on (C0 but TAB and LF, DEL, C1), line and paragraph separators, bidi controls. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** Characters that are invisible or reorder text, which the outputs must show instead of passing on. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069]/;

const hostileValues = [...Object.values(RENAMES), ...Object.values(VALUES).flatMap((o) => Object.values(o).flat())];
const afterValues = Object.values(AFTER).flatMap((o) => Object.values(o).flat());

const md = new MarkdownIt({ html: true });
/**
 * Block and inline token types in order (text content left out): the document's structure.
 * Code spans count as text: a value's literal words (a path, a bracketed binding) are set as
 * code, so a hostile value may print as code where its plain twin is prose; both are inert.
 */
const shape = (markdown: string) =>
  md.parse(oneRowValues(markdown), {}).flatMap((t) => [t, ...(t.children ?? [])]).filter((t) => !['text', 'softbreak', 'code_inline'].includes(t.type)).map((t) => `${t.type}:${t.tag}:${t.level}`);
/**
 * Appendix B prints a long value over rows marked ↪ and a long DN over lines joined by hard
 * breaks (each a code span): how many follows from the value's length, not its content, so
 * the continuation rows and lines are left out of the structure.
 */
const oneRowValues = (markdown: string) => markdown.replace(/\n\| ↪ \| [^\n]*/g, '').replace(/\\\n`+[^\n]*`+(?=\n)/g, '');
/**
 * Text markdown-it finds in the document (text and code spans), a value continued over lines
 * (a DN's lines joined by hard breaks, Appendix B's rows marked ↪) joined back into one.
 */
const textOf = (markdown: string) => {
  const out: string[] = [];
  let join = false;
  for (const t of md.parse(markdown, {}).flatMap((x) => [x, ...(x.children ?? [])])) {
    if (t.type === 'hardbreak' || (t.type === 'text' && t.content === '↪')) { join = out.length > 0; continue; }
    if (t.type !== 'text' && t.type !== 'code_inline') continue;
    if (join && t.type === 'code_inline') out[out.length - 1] += t.content;
    else out.push(t.content);
    join = false;
  }
  return out.join('\n');
};
/** Raw HTML markdown-it would pass through, but the template's own directive comments. */
const rawHtml = (markdown: string) =>
  md.parse(markdown, {}).flatMap((t) => [t, ...(t.children ?? [])]).filter((t) => t.type.startsWith('html') && !/^<!--[^]*-->$/.test(t.content.trim())).map((t) => t.content);

async function harvestText(name: string, text: string): Promise<Snapshot> {
  const file = join(dir, name);
  writeFileSync(file, text);
  return harvestExport(file);
}

let hostile: Snapshot;
let hostileAfter: Snapshot;
let plain: Snapshot;
let plainAfter: Snapshot;
beforeAll(async () => {
  hostile = await harvestExport('fixtures/hostile/hostile.ldif');
  hostileAfter = await harvestExport('fixtures/hostile/hostile-after.ldif');
  plain = await harvestText('plain.ldif', generateHostile('before', { plain: true }));
  plainAfter = await harvestText('plain-after.ldif', generateHostile('after', { plain: true }));
}, 60_000);

describe('issue 10: the hostile fixture', () => {
  it('is what scripts/gen-hostile.ts writes, and carries control characters, breaks, markup, bidi, zero-width and 10,000+ character tokens', () => {
    expect(readFileSync('fixtures/hostile/hostile.ldif', 'utf8')).toBe(generateHostile('before'));
    expect(readFileSync('fixtures/hostile/hostile-after.ldif', 'utf8')).toBe(generateHostile('after'));
    const all = hostileValues.join('');
    for (const c of ['\u001b', '\u0007', '\b', '\r', '\n', '\u0085', '\u009b', '\u202e', '\u200f', '\u200b', '|', '`', '*', '<script>', '<iframe', '&amp;', '](']) expect(all, JSON.stringify(c)).toContain(c);
    expect(all).toMatch(/\r(?!\n)/); // a lone CR
    expect(Math.min(LONG.path.length, LONG.url.length)).toBeGreaterThan(10_000);
  });

  it('is harvested through the LDIF source with every hostile name and value intact', () => {
    const text = JSON.stringify(hostile);
    for (const v of hostileValues) expect(text, JSON.stringify(v.slice(0, 40))).toContain(JSON.stringify(v).slice(1, -1));
    expect(hostile.servers.map((s) => s.name)).toContain(RENAMES[Object.keys(RENAMES).find((k) => k.startsWith('CN=EX2010A,'))!]);
    expect(hostile.organization.name).toBe(Object.values(RENAMES)[0]);
    expect(hostile.servers).toHaveLength(plain.servers.length);
  });
});

describe('issue 10: hostile content in the binder', () => {
  let h: { markdown: string; html?: string; pdf: Buffer | null };
  let p: { markdown: string; html?: string; pdf: Buffer | null };
  beforeAll(async () => {
    h = await renderBinder(hostile, { pdf: true, html: true, paper: 'a4' });
    p = await renderBinder(plain, { pdf: true, html: true, paper: 'a4' });
  }, 240_000);

  it('Markdown: the same structure as the plain twin (headings, tables, rows, links, emphasis), no raw HTML, every value as text', () => {
    expect(shape(h.markdown)).toEqual(shape(p.markdown));
    expect(rawHtml(h.markdown)).toEqual([]);
    const text = textOf(h.markdown);
    for (const v of hostileValues) expect(text, JSON.stringify(v.slice(0, 40))).toContain(inert(v));
    expect(h.markdown.replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
  });

  it('Markdown: no invisible or reordering character is passed on (a bidi override would print "EX2010Aexe.png")', () => {
    expect(h.markdown).not.toMatch(INVISIBLE);
    expect(textOf(h.markdown)).toContain('EX2010AU+202Egnp.exeU+200FU+200B');
  });

  it('HTML in headless Chromium: no script, iframe, img or b element; the same elements as the plain twin; the values as text', () => {
    const dom = (html: string, name: string) => {
      const file = join(dir, name);
      writeFileSync(file, html);
      return execFileSync('/usr/bin/chromium', [
        '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', `--user-data-dir=${mkdtempSync(join(dir, 'profile-'))}`, '--dump-dom', `file://${file}`,
      ], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'], timeout: 120_000 });
    };
    // Chromium serializes the DOM it built: text is escaped there, so a tag in it is an element
    const hd = dom(h.html!, 'hostile.html');
    const pd = dom(p.html!, 'plain.html');
    // (code elements left out: code spans are text, see shape; so are the span and wbr elements a DN is
    // set in, one per RDN: a DN that parses gets them, a hostile one may not parse)
    const tags = (s: string) => [...s.matchAll(/<([a-z][a-z0-9]*)[\s>]/g)].map((m) => m[1]).filter((t) => t !== 'code' && t !== 'wbr' && t !== 'span');
    expect(tags(hd)).toEqual(tags(pd));
    expect(hd).not.toMatch(/<(script|iframe|img|b|object|embed)[\s>]/i);
    const text = hd.replace(/<style[^]*?<\/style>/g, ' ').replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&');
    for (const v of hostileValues) expect(text, JSON.stringify(v.slice(0, 40))).toContain(inert(v));
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('&amp;b=2'); // an entity in a value is text, not decoded
    // nor a control or bidi character anywhere in the page, its <title> (the tab, the window list) included
    expect(hd).not.toMatch(RAW_CONTROL);
    expect(hd).not.toMatch(INVISIBLE);
    expect(/<title>([^<]*)<\/title>/.exec(hd)?.[1]).toContain('U+001B[7mU+202Eputs');
  }, 240_000);

  it('PDF: every value in the text poppler reads, no glyph missing, and no layout problem the plain twin does not have', () => {
    const hf = writeTemp(h.pdf!, 'hostile.pdf');
    const pf = writeTemp(p.pdf!, 'plain.pdf');
    // without each page's running header and footer (its last two lines): a 12,000-character path spans pages
    const text = squash(pagesText(hf).map((page) => page.trimEnd().split('\n').slice(0, -2).join('\n')).join('\n'));
    for (const v of hostileValues.filter((x) => x.length < 1000)) expect(text, JSON.stringify(v.slice(0, 40))).toContain(squash(inert(v)));
    // a 10,000+ character token spans pages, where a table repeats its header row: its start, its end and all its characters
    for (const v of [LONG.path, LONG.url]) {
      expect(text).toContain(v.slice(0, 200));
      expect(text).toContain(v.slice(-200));
      const c = v.at(-1)!;
      expect(text.split(c).length - 1).toBeGreaterThanOrEqual(v.split(c).length - 1);
    }
    // document info (pdfinfo, file managers and search indexes print it): the organization's name inert as well
    const info = pdfinfo(hf);
    for (const k of ['Title', 'Author', 'Subject', 'Keywords']) {
      expect(info[k], k).toContain('U+001B[7mU+202Eputs');
      expect(info[k], k).not.toMatch(RAW_CONTROL);
    }
    const problems = checkLayout(hf);
    expect(problems.filter((x) => x.kind === 'missing-glyph')).toEqual([]);
    // the same problems (kind, table or heading), all from the 10,000+ character tokens the twin has too; how many
    // pages a table with such a token spans depends on line lengths, which escaping changes
    const kinds = (ps: typeof problems) => [...new Set(ps.map((x) => `${x.kind}: ${x.detail.replace(/^\d+ rows?, /, '')}`))].sort();
    expect(kinds(problems)).toEqual(kinds(checkLayout(pf)));
  }, 240_000);
});

describe('issue 10: hostile content in the drift reports', () => {
  let drift: ReturnType<typeof diffSnapshots>;
  let plainDrift: ReturnType<typeof diffSnapshots>;
  beforeAll(() => {
    drift = diffSnapshots(hostile, hostileAfter, FIELD_ATTRIBUTES);
    plainDrift = diffSnapshots(plain, plainAfter, FIELD_ATTRIBUTES);
  });

  it('finds the same changes as in the plain twin, with the hostile values old and new', () => {
    expect(drift.changes.length).toBeGreaterThan(0);
    expect(drift.changes.map((c) => `${c.collection} ${c.kind} ${c.field}`)).toEqual(plainDrift.changes.map((c) => `${c.collection} ${c.kind} ${c.field}`));
    const json = JSON.stringify(drift);
    for (const v of afterValues) expect(json).toContain(JSON.stringify(v).slice(1, -1));
  });

  it('diff --format text: no control character reaches the terminal; one line per change as in the plain twin', () => {
    const text = formatDriftText(drift, { color: false });
    expect(text.replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
    expect(text).not.toMatch(INVISIBLE);
    expect(text.split('\n').length).toBe(formatDriftText(plainDrift, { color: false }).split('\n').length);
    expect(text.split('\n').filter((l) => /^CRITICAL /.test(l))).toHaveLength(drift.critical);
    expect(text).toContain('\\x1b[2J\\x1b[H\\rCRITICAL fake\\nline');
  });

  it('diff --format md: the same structure as the plain twin, no raw HTML, the values as text', () => {
    const out = formatDriftMarkdown(drift);
    expect(shape(out)).toEqual(shape(formatDriftMarkdown(plainDrift)));
    expect(rawHtml(out)).toEqual([]);
    expect(out.replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
    const text = textOf(out);
    for (const v of afterValues) expect(text, JSON.stringify(v.slice(0, 40))).toContain(inert(v));
  });

  it('diff --format json: the exact values, and nothing a terminal acts on when it is printed', () => {
    const out = formatDriftJson(drift);
    expect(out).not.toMatch(RAW_CONTROL);
    expect(out).not.toMatch(INVISIBLE);
    expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(drift)));
  });
});

describe('issue 10: hostile content through the snapshot job', () => {
  it('store files (drift/latest.*, binder/latest.md) parse to the intended structure; no control character on the terminal', async () => {
    const store = join(dir, 'store');
    const first = await cli(['snapshot', '--ldif', 'fixtures/hostile/hostile.ldif', '--store', store, '--accept']);
    expect(first.code, first.err.join('\n')).toBe(0);
    await new Promise((r) => setTimeout(r, 1100)); // the next snapshot in a later second
    const second = await cli(['snapshot', '--ldif', 'fixtures/hostile/hostile-after.ldif', '--store', store]);
    expect(second.code, second.err.join('\n')).toBe(1);
    for (const line of [...first.err, ...first.out, ...second.err, ...second.out]) {
      expect(line, JSON.stringify(line)).not.toMatch(RAW_CONTROL);
      expect(line, JSON.stringify(line)).not.toMatch(INVISIBLE);
    }
    const latestMd = readFileSync(join(store, 'drift', 'latest.md'), 'utf8');
    expect(rawHtml(latestMd)).toEqual([]);
    expect(latestMd.replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
    const headings = md.parse(latestMd, {}).filter((t) => t.type === 'heading_open').map((t) => t.tag);
    expect(headings).toEqual(['h1', 'h2', ...headings.slice(2)]);
    // (an object's name is the text of its heading in the report: a heading the value started would begin with it)
    expect(md.parse(latestMd, {}).filter((t, i, a) => t.type === 'heading_open' && /^Injected/.test(a[i + 1]?.content ?? ''))).toEqual([]);
    const latestJson = readFileSync(join(store, 'drift', 'latest.json'), 'utf8');
    expect(latestJson).not.toMatch(RAW_CONTROL);
    expect(JSON.stringify(JSON.parse(latestJson))).toContain(JSON.stringify(afterValues[0]).slice(1, -1));
    const binder = readFileSync(join(store, 'binder', 'latest.md'), 'utf8');
    expect(rawHtml(binder)).toEqual([]);
    expect(binder).not.toMatch(INVISIBLE);
  }, 300_000);
});

describe('issue 10: terminal-safe stderr keeps the line structure of our own messages', () => {
  it("a commander message of two lines stays two lines (no literal \\n), each escaped", async () => {
    const r = await cli(['snapshot', '--ldf', 'x']);
    expect(r.code).toBe(2);
    expect(r.err.slice(0, 2)).toEqual(["error: unknown option '--ldf'", '(Did you mean --ldif?)']);
  });
});
