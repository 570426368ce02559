/**
 * Issue 10, injection in the Markdown binder: a lone CR (and other control
 * characters) in a directory value must not start a new block. markdown-it is
 * the judge: no injected heading, no raw HTML, tables keep their columns.
 */
import { describe, expect, it } from 'vitest';
import { buildView, renderMarkdown } from '../../../src/render/index.js';
import { mdCode, mdLine, mdText } from '../../../src/render/escape.js';
import { sampleSnapshot } from '../render/sample-snapshot.js';
import { md, TEMPLATES } from '../render/helpers.js';

const EVIL_CR = 'E:\\DB01\r# Injected heading\r<script>alert(1)</script>\r<iframe src="https://evil.example/">';

function render(mutate: (s: ReturnType<typeof sampleSnapshot>) => void): string {
  const snap = sampleSnapshot();
  mutate(snap);
  return renderMarkdown(buildView(snap, { supplement: null, drift: null }), { templatesDir: TEMPLATES });
}

function injected(markdown: string) {
  const tokens = md.parse(markdown, {});
  const all = tokens.flatMap((t) => [t, ...(t.children ?? [])]);
  return {
    headings: tokens.filter((t, i) => t.type === 'heading_open' && /^Injected/.test(tokens[i + 1]?.content ?? '')).length,
    html: all.filter((t) => t.type.startsWith('html') && !/^<!--[^]*-->$/.test(t.content.trim())).map((t) => t.content),
    tables: tokens.filter((t) => t.type === 'table_open').length,
  };
}

describe('issue 10: a lone CR in a name or path is escaped in the Markdown binder', () => {
  const clean = injected(render(() => undefined));

  it('issue 10 case 17: lone CR in a code-span field (EDB path) injects no heading, no <script>/<iframe>, breaks no table', () => {
    const out = render((s) => {
      for (const db of s.databases) db.edbFilePath = EVIL_CR;
      for (const sv of s.servers) sv.installPath = EVIL_CR;
    });
    const r = injected(out);
    expect(r.headings).toBe(0);
    expect(r.html).toEqual([]);
    expect(r.tables).toBe(clean.tables);
    expect(out).not.toContain('\r');
  });

  it('issue 10 case 17b: lone CR in a text field (server and database names) injects nothing either', () => {
    const out = render((s) => {
      s.databases[0]!.name = `DB01\r# Injected heading\r<script>x</script>`;
      s.organization.name = `Contoso\r# Injected heading`;
    });
    const r = injected(out);
    expect(r.headings).toBe(0);
    expect(r.html).toEqual([]);
    expect(r.tables).toBe(clean.tables);
  });

  it('issue 10 case 17c: the escapers turn every control character into something inert and visible', () => {
    for (const f of [mdText, mdLine, (v: string) => mdCode(v), (v: string) => mdCode(v, true)]) {
      const s = f('a\rb\nc\r\nd\u000be\u000cf\u0085g\u2028h\u001b[31mi\u0007j\u0008k\u0000l\u007fm\u009bn');
      expect(s).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/);
      expect(s).toContain('U+001B'); // ESC shown by its code point: DejaVu has no control pictures (␛)
      expect(s).toContain('U+009B');
    }
  });
});
