/**
 * The bundled templates' Handlebars specs made at build time (markdown.ts
 * PRECOMPILED_FILE): the same Markdown as compiling them, a spec found by the
 * template's text (an edited copy is compiled, never given a stale spec), and
 * the build's file current with the templates.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildView, renderMarkdown } from '../../../src/render/index.js';
import { precompileBundled, PRECOMPILED_FILE, specKey } from '../../../src/render/markdown.js';
import { sampleSnapshot } from './sample-snapshot.js';
import { fullSupplement, TEMPLATES } from './helpers.js';

const snap = sampleSnapshot();
const view = buildView(snap, { supplement: fullSupplement(snap), drift: null });
const tmp = mkdtempSync(join(tmpdir(), 'exbinder-precompiled-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('precompiled templates', () => {
  it('has a spec for every bundled template, keyed by its text', () => {
    const specs = precompileBundled();
    const files = ['binder.md.hbs', 'appendix.md.hbs', ...readdirSync(join(TEMPLATES, 'partials')).filter((n) => n.endsWith('.md.hbs')).map((n) => join('partials', n))];
    expect(Object.keys(specs).sort()).toEqual(files.map((f) => specKey(readFileSync(join(TEMPLATES, f), 'utf8'))).sort());
  });

  it('the build wrote them for the templates as they are now', () => {
    // `npm test` builds first; a file from older templates would only cost time, but the build must keep it current
    expect(existsSync(PRECOMPILED_FILE)).toBe(true);
    expect(Object.keys(JSON.parse(readFileSync(PRECOMPILED_FILE, 'utf8'))).sort()).toEqual(Object.keys(precompileBundled()).sort());
  });

  it('renders the same Markdown as compiling the templates', () => {
    const compiled = renderMarkdown(view, { templatesDir: TEMPLATES, precompiled: false });
    expect(compiled.length).toBeGreaterThan(10_000);
    expect(renderMarkdown(view, { templatesDir: TEMPLATES, precompiled: true })).toBe(compiled);
    expect(renderMarkdown(view, { templatesDir: TEMPLATES, precompiled: true, entry: 'appendix.md.hbs' }))
      .toBe(renderMarkdown(view, { templatesDir: TEMPLATES, precompiled: false, entry: 'appendix.md.hbs' }));
  });

  it('compiles an edited copy of a bundled template instead of using the bundled spec', () => {
    const dir = join(tmp, 'templates');
    cpSync(TEMPLATES, dir, { recursive: true });
    const cover = join(dir, 'partials', 'cover.md.hbs');
    writeFileSync(cover, readFileSync(cover, 'utf8').replace('Keep a printed copy', 'Keep two printed copies'));
    const out = renderMarkdown(view, { templatesDir: dir, precompiled: true });
    expect(out).toContain('Keep two printed copies');
    expect(out).not.toContain('Keep a printed copy');
  });
});
