/**
 * The PDF writer parses the binder's Markdown a section at a time (memory);
 * the pieces must parse to exactly the blocks of the whole, and the contents
 * list must count the same chapters as the whole document would.
 */
import { describe, expect, it } from 'vitest';
import { outline, parseBlocks, sectionStarts, type Block } from '../../../src/render/pdf/blocks.js';
import { buildView, renderMarkdown } from '../../../src/render/index.js';
import { sampleSnapshot } from './sample-snapshot.js';
import { TEMPLATES } from './helpers.js';
import { contentsRange, withoutContents } from '../../../src/render/contents.js';

const pieces = (md: string) => outline(md).sections;
const sectionTexts = (md: string) => pieces(md).map((s) => s.split('\n')[0]);

/** The chapters the original whole-document rule lists: top-level H1s after the first toc directive. */
function tocOfWhole(md: string): number {
  const blocks = parseBlocks(md);
  const at = blocks.findIndex((b) => b.type === 'directive' && b.name === 'toc');
  return at < 0 ? 0 : blocks.slice(at + 1).filter((b: Block) => b.type === 'heading' && b.level === 1).length;
}

function expectSameAsWhole(md: string): void {
  const o = outline(md);
  expect(o.sections.join('')).toBe(md);
  expect(o.sections.flatMap((s) => parseBlocks(s))).toEqual(parseBlocks(md));
  expect(o.tocEntries).toBe(tocOfWhole(md));
}

describe('cutting the binder Markdown into sections', () => {
  it('cuts before headings that follow a blank line, and the pieces parse to the blocks of the whole', () => {
    const md = '# One\n\npara\n\n## Two\n- a\n- b\n\n# Three\n| a | b |\n|---|---|\n| 1 | 2 |\n\n### Four\ntext\n## Not cut (no blank line before)\n';
    expect(sectionTexts(md)).toEqual(['# One', '## Two', '# Three', '### Four']);
    expectSameAsWhole(md);
  });

  it('does not cut inside fenced code (a PowerShell comment is not a heading)', () => {
    const md = '# A\n\n```powershell\nGet-Mailbox\n\n# comment\n```\n\n# B\n\n~~~~\n\n# in tilde fence\n~~~\n\n# still in it\n~~~~\n\n# C\n';
    expect(sectionTexts(md)).toEqual(['# A', '# B', '# C']);
    expectSameAsWhole(md);
  });

  it('a fence closed only by a long enough run of its own character', () => {
    const md = '````\n```\n\n# code\n````\n\n# after\n';
    expect(sectionTexts(md)).toEqual(['````', '# after']);
    expectSameAsWhole(md);
  });

  it('a backtick line with a backtick in its info string is not a fence, so the heading after it is cut', () => {
    const md = '```a`b\n\n# heading\n';
    expect(sectionTexts(md)).toEqual(['```a`b', '# heading']);
    expectSameAsWhole(md);
  });

  it('does not cut inside raw HTML that runs across blank lines (comments, pre)', () => {
    const md = '# A\n\n<!-- note\n\n# inside the comment\n-->\n\n# B\n\n<pre>\n\n# inside pre\n</pre>\n\n# C\n\n<!-- pagebreak -->\n\n# D\n';
    expect(sectionTexts(md)).toEqual(['# A', '# B', '# C', '# D']);
    expectSameAsWhole(md);
  });

  it('ends lists and quotes before a cut heading exactly as the whole document does', () => {
    const md = '1. one\n2. two\n\n   more of two\n\n# H\n\n> quoted\n\n# I\n\n- [ ] task\n\n  continued\n\n# J\n';
    expect(sectionTexts(md)).toEqual(['1. one', '# H', '# I', '# J']);
    expectSameAsWhole(md);
  });

  it('keeps a document with link reference definitions whole (they apply across sections)', () => {
    const md = '# A\n\nsee [the docs][d]\n\n# B\n\n[d]: https://example.test/docs\n';
    expect(sectionStarts(md).length).toBe(2);
    expect(pieces(md)).toEqual([md]);
    const link = parseBlocks(md).find((b) => b.type === 'paragraph');
    expect(link).toEqual({ type: 'paragraph', runs: [{ text: 'see ', font: 'regular' }, { text: 'the docs', font: 'regular', href: 'https://example.test/docs' }] });
  });

  it('finds link reference definitions in list items and quotes of later sections (the outline skips only sections that cannot hold one)', () => {
    for (const def of ['- [d]: https://example.test/docs', '> [d]: https://example.test/docs', '1. > - [d]:\n   https://example.test/docs', '   [d\n   e]: /x']) {
      const md = `# A\n\nsee [the docs][d]\n\n## B\n\n| a | b |\n|---|---|\n| \`[::]:443\` | 1 |\n\n# C\n\n${def}\n`;
      expect(pieces(md), def).toEqual([md]);
    }
    // `]:` in a table cell or mid-line is no definition: the document is still cut
    const md = '# A\n\n## B\n\n| a | b |\n|---|---|\n| `[::]:443` | 1 |\n\nbinds [::]:25 and `[::]:587`\n\n# C\n';
    expect(sectionTexts(md)).toEqual(['# A', '## B', '# C']);
    expectSameAsWhole(md);
  });

  it('counts chapters in any later section, setext and indented ones too (the outline parses only sections that can hold one)', () => {
    const md = '# Cover\n\nintro\n\n## before\n\n<!-- toc -->\n\n## x\n\n| a |\n|---|\n| 1 |\n\n# One\n\ntext\n\n## y\n\nTwo\n===\n\n## z\n\n   # Three\n\n## w\n\n    # code, not a chapter\n\n- a\n\n  # in a list item\n';
    expect(outline(md).tocTitles).toEqual(['One', 'Two', 'Three']);
    expectSameAsWhole(md);
  });

  it('reads around the linked contents list as if it had been cut out (no copy of the document)', () => {
    const list = '\n**Contents**\n\n- [One](#one)\n- [Two](#two)\n\n<!-- /toc -->\n';
    for (const md of [
      `# Cover\n\n<!-- toc -->\n${list}\n# One\n\ntext\n\n## sub\n\n# Two\n`,
      `<!-- toc -->\n${list}# One\n\n# Two\n`,
      `# Cover\n\n<!-- toc -->\n${list}\nsee [d][d]\n\n# One\n\n[d]: /x\n`,
      `# Cover\r\n\r\n<!-- toc -->\n${list}\n# One\n`,
    ]) {
      const range = contentsRange(md);
      expect(range, md).not.toBeNull();
      expect(outline(md, range), md).toEqual(outline(withoutContents(md)));
      expect(outline(md, range).sections.join('')).toBe(withoutContents(md));
    }
  });

  it('keeps input with carriage returns whole (markdown-it rewrites them before parsing)', () => {
    expect(pieces('# A\r\n\r\n# B\r\n')).toEqual(['# A\r\n\r\n# B\r\n']);
  });

  it('counts the chapters after the toc directive: top-level H1s only', () => {
    const md = '# Cover\n\n<!-- toc -->\n\n# One\n\n## sub\n\n> # quoted, not a chapter\n\n# Two\n\n- # in a list, not a chapter\n\nTitle\n=====\n';
    expect(outline(md).tocEntries).toBe(3); // One, Two, and the setext "Title"
    expectSameAsWhole(md);
    expect(outline('# A\n\n# B\n').tocEntries).toBe(0);
  });

  it('the sample binder: many sections, same blocks and chapters as parsed whole', () => {
    const md = renderMarkdown(buildView(sampleSnapshot(), { supplement: null, drift: null }), { templatesDir: TEMPLATES });
    expect(pieces(md).length).toBeGreaterThan(50);
    expect(outline(md).tocEntries).toBeGreaterThan(5);
    expectSameAsWhole(md);
  });
});
