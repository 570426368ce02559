/**
 * Readable Markdown (issue 11): the binder is also read as plain text (a
 * wiki, a diff, a mail). Literal values are code spans instead of backslash
 * escapes, prose is wrapped, the contents are real links, and none of it may
 * change what the Markdown means: markdown-it is the judge.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderBinder, renderHtml } from '../../../src/render/index.js';
import { inert, mdCell, mdCode, mdText } from '../../../src/render/escape.js';
import { reflow, WRAP_WIDTH } from '../../../src/render/reflow.js';
import { slugger, withoutContents } from '../../../src/render/contents.js';
import { exampleFor, harvestExport, md, unwrap } from './helpers.js';

/** The text a reader sees of one inline Markdown string (code spans as their content). */
function seen(inline: string): { text: string; markup: string[] } {
  const tokens = md.parseInline(inline, {})[0]?.children ?? [];
  return {
    text: tokens.map((t) => (t.type === 'text' || t.type === 'code_inline' ? t.content : t.type === 'softbreak' ? ' ' : '')).join(''),
    markup: tokens.filter((t) => !['text', 'code_inline', 'softbreak'].includes(t.type)).map((t) => t.type),
  };
}

const value = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'ab \\/:[]`*_<>|~&#!().,;-1\r\n\t'.split('')), maxLength: 40 }),
  fc.string({ maxLength: 30 }),
  fc.constantFrom('\\\\nas1\\it\\certs\\mail.pfx.', '[::]:587', 'C:\\Program Files (x86)\\App x', 'https://mail.contoso.com/owa,', 'a & b &amp; c', '``x` `'),
);

describe('escaping: literal values as code spans, prose escaped only where needed', () => {
  it('prints every value as it is, with no markup of its own (property)', () => {
    fc.assert(fc.property(value, (v) => {
      const r = seen(mdText(v));
      expect(r.markup).toEqual([]);
      // code spans drop one leading and trailing space only when both are there (and print nothing for an empty value)
      expect(r.text.replace(/\s+/g, ' ').trim()).toBe(inert(v).replace(/\s+/g, ' ').trim());
    }), { numRuns: 2000 });
  });

  it('keeps a value in its table cell (property)', () => {
    fc.assert(fc.property(value, (v) => {
      const tokens = md.parse(`| a | b |\n| --- | --- |\n| x | ${mdCell(v)} |\n`, {});
      expect(tokens.filter((t) => t.type === 'td_open')).toHaveLength(2);
      const cell = tokens.filter((t) => t.type === 'inline').at(-1)!;
      expect((cell.children ?? []).filter((t) => !['text', 'code_inline'].includes(t.type))).toEqual([]);
    }), { numRuns: 1000 });
  });

  it('a code span takes a fence longer than any backtick run inside, and no line break', () => {
    expect(mdCode('a``b`c')).toBe('```a``b`c```');
    expect(mdCode('`x`')).toBe('`` `x` ``');
    expect(mdCode('a\rb\nc')).toBe('`a b c`');
    expect(seen(mdCode('a``b`c')).text).toBe('a``b`c');
  });

  it('paths, shares, URLs and bindings are code spans; sentence punctuation stays outside', () => {
    expect(mdText('ISO library \\\\nas1\\media\\windows (2003 R2 x64)')).toBe('ISO library `\\\\nas1\\media\\windows` (2003 R2 x64)');
    expect(mdText('kept at \\\\nas1\\it\\edge\\Clone.xml.')).toBe('kept at `\\\\nas1\\it\\edge\\Clone.xml`.');
    expect(mdText('C:\\Program Files\\Exchsrvr\\mdbdata and D:\\x')).toBe('`C:\\Program Files\\Exchsrvr\\mdbdata` and `D:\\x`');
    expect(mdText('0.0.0.0:587, [::]:587')).toBe('0.0.0.0:587, `[::]:587`');
    expect(mdText('see https://learn.microsoft.com/x.')).toBe('see `https://learn.microsoft.com/x`.');
    expect(mdText('Veeam Backup & Replication')).toBe('Veeam Backup & Replication');
  });
});

describe('reflow: prose wrapped, meaning unchanged', () => {
  const word = fc.oneof(
    fc.stringMatching(/^[a-z]{1,12}$/),
    fc.constantFrom('`C:\\Program Files\\x`', '**bold', 'text**', '-', '#', '>', '1.', '2)', '*', '+', '=', '|', '<b>', '```', '\\', 'a\\', '\\*x\\*', '[a](#b)', '``a ` b``', '________________'),
  );
  const line = fc.tuple(fc.constantFrom('', '- ', '- [ ] ', '  - [x] ', '1. ', '  '), fc.array(word, { minLength: 1, maxLength: 60 }))
    .map(([lead, words]) => lead + words.join(' '));

  it('renders the same HTML as the unwrapped line (property)', () => {
    fc.assert(fc.property(line, (l) => {
      const norm = (h: string) => h.replace(/\s+/g, ' ');
      expect(norm(md.render(reflow(l, 40)))).toBe(norm(md.render(l)));
    }), { numRuns: 3000 });
  });

  it('leaves tables, headings, fenced code and comments alone', () => {
    const long = 'x '.repeat(80).trim();
    const doc = `# ${long}\n\n| ${long} |\n| --- |\n\n\`\`\`\n${long}\n\`\`\`\n\n<!-- ${long} -->\n`;
    expect(reflow(doc)).toBe(doc);
  });
});

describe('the fixture binders', () => {
  const binders: Record<string, string> = {};
  beforeAll(async () => {
    const contoso = await harvestExport('fixtures/exports/contoso.ldif');
    const fabrikam = await harvestExport('fixtures/exports/fabrikam.ldif');
    binders['contoso'] = (await renderBinder(contoso, { pdf: false })).markdown;
    binders['demo'] = (await renderBinder(contoso, { pdf: false, supplementPath: exampleFor(contoso) })).markdown;
    binders['fabrikam'] = (await renderBinder(fabrikam, { pdf: false })).markdown;
  }, 60_000);

  /**
   * A line may pass the limit only by one value that cannot be broken without
   * changing it: a line of fenced code (a command), or a line that is one code
   * span (a DN) with at most a short label or table cell around it.
   */
  function overLimit(markdown: string, limit: number): string[] {
    let fence = false;
    return markdown.split('\n').filter((l) => {
      if (/^\s*(```|~~~)/.test(l)) { fence = !fence; return false; }
      if (fence || [...l].length <= limit) return false;
      const longest = Math.max(0, ...[...l.matchAll(/(`+)(?:(?!\1).)+?\1/g)].map((m) => [...m[0]].length));
      return [...l].length - longest > 60;
    });
  }

  it('have no line over 200 characters but single values (DNs, commands)', () => {
    for (const [name, markdown] of Object.entries(binders)) expect(overLimit(markdown, 200), name).toEqual([]);
  });

  it('wrap prose (paragraphs and list items) at the wrap width', () => {
    for (const [name, markdown] of Object.entries(binders)) {
      let fence = false;
      const prose = markdown.split('\n').filter((l) => {
        if (/^\s*(```|~~~)/.test(l)) { fence = !fence; return false; }
        // (the contents' links are left whole)
        return !fence && !/^\s*[|#<`]/.test(l) && !/^ {4}/.test(l) && !/^- \[.*\]\(#[^)]*\)$/.test(l);
      });
      // a longer line is one word or code span that has no place to break
      const long = prose.filter((l) => l.length > WRAP_WIDTH && /\s\S+\s/.test(l.trim().replace(/`[^`]*`/g, 'x')));
      expect(long, name).toEqual([]);
    }
  });

  it('print shares and bindings as code spans, without backslash escapes', () => {
    const demo = binders['demo']!;
    expect(demo).toContain('`\\\\nas1\\it\\certificates\\mail.contoso.test-2026.pfx`');
    expect(demo).toContain('`0.0.0.0:587`, `[::]:587`');
    expect(demo).not.toMatch(/\\\\\\\\nas1|\\\[::\\\]/);
    expect(demo).toContain('Veeam Backup & Replication 12');
  });

  it('print the EDB and STM paths of a 2003 database in cells of their own', () => {
    const contoso = binders['contoso']!;
    expect(contoso).toContain('| Mailbox Store (EX2003) | EDB file | `C:\\Program Files\\Exchsrvr\\mdbdata\\priv1.edb` |\n| | STM file (streaming) | `C:\\Program Files\\Exchsrvr\\mdbdata\\priv1.stm` |\n');
  });

  it('have a table of contents linking every chapter by its GitHub heading id', () => {
    for (const [name, markdown] of Object.entries(binders)) {
      const toc = markdown.slice(markdown.indexOf('<!-- toc -->'), markdown.indexOf('<!-- /toc -->'));
      const links = [...toc.matchAll(/^- \[(.*)\]\(#(.*)\)$/gm)].map((m) => [m[1], m[2]]);
      const chapters = [...markdown.slice(markdown.indexOf('<!-- /toc -->')).matchAll(/^# (.*)$/gm)].map((m) => m[1]);
      expect(links.map((l) => l[0]), name).toEqual(chapters);
      // the ids: every heading of the document in order, repeats numbered (github-slugger)
      const slug = slugger();
      const ids = new Map<string, string>();
      const tokens = md.parse(markdown, {});
      tokens.forEach((t, i) => {
        if (tokens[i - 1]?.type !== 'heading_open') return;
        const id = slug(t.children!.map((c) => c.content).join(''));
        if (tokens[i - 1]!.tag === 'h1' && !ids.has(t.content)) ids.set(t.content, id);
      });
      for (const [title, id] of links) expect(id, title).toBe(ids.get(title!));
      expect(links.find((l) => l[0] === 'Appendix B: Raw attribute values')?.[1]).toBe('appendix-b-raw-attribute-values');
    }
  });

  it('the HTML and PDF renderers drop the Markdown contents and draw their own', () => {
    const markdown = binders['contoso']!;
    expect(withoutContents(markdown)).not.toContain('**Contents**');
    expect(withoutContents(markdown)).toContain('<!-- toc -->\n');
    const html = renderHtml(markdown, { title: 'T' });
    expect(html.match(/href="#server-ex2016"/g)).toHaveLength(1);
    expect(html).toContain('<nav class="toc"><h2>Contents</h2>');
  });

  it('GitHub ids: punctuation dropped, spaces to hyphens, repeats numbered', () => {
    const slug = slugger();
    expect(['Recovery runbook: EX2010A', 'Identity', 'Identity', 'Identity-1', 'Zürich Ärzte (SG3)', 'a_b'].map(slug))
      .toEqual(['recovery-runbook-ex2010a', 'identity', 'identity-1', 'identity-1-1', 'zürich-ärzte-sg3', 'a_b']);
  });

  it('unwrap (the tests\' helper) gives back the sentences', () => {
    expect(unwrap(binders['demo']!)).toContain('`witness-not-in-ad-dns`: DAG DAG1: witness `\\\\fs02.contoso.test\\DAG1.contoso.test` (fs02.contoso.test) has no A/AAAA record');
  });
});
