/**
 * `render --tagged-pdf` and `render --font-dir DIR` through the CLI, read back
 * with poppler: the flags do what EXBINDER_TAGGED_PDF=1 and EXBINDER_FONT_DIRS
 * do (those stay as fallbacks), and without them the PDF is untagged and the
 * fallback faces come from the system's folders.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { serialize } from '../../../src/snapshot/canonical.js';
import { harvestExport } from '../render/helpers.js';

const cli = async (args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['node', 'exbinder', ...args], { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false, stderrTTY: false });
  return { code, out, err };
};
const pdfinfo = (file: string) => execFileSync('pdfinfo', [file], { encoding: 'utf8' });
const pdffonts = (file: string) => execFileSync('pdffonts', [file], { encoding: 'utf8' });

let dir: string;
let snapFile: string;
const saved = { tagged: process.env['EXBINDER_TAGGED_PDF'], dirs: process.env['EXBINDER_FONT_DIRS'] };
beforeAll(async () => {
  delete process.env['EXBINDER_TAGGED_PDF'];
  delete process.env['EXBINDER_FONT_DIRS'];
  dir = await mkdtemp(join(tmpdir(), 'exb-flags-'));
  snapFile = join(dir, 'contoso.json');
  await writeFile(snapFile, serialize(await harvestExport('fixtures/exports/contoso.ldif')));
}, 60_000);
afterAll(async () => {
  if (saved.tagged !== undefined) process.env['EXBINDER_TAGGED_PDF'] = saved.tagged;
  if (saved.dirs !== undefined) process.env['EXBINDER_FONT_DIRS'] = saved.dirs;
  await rm(dir, { recursive: true, force: true });
});

describe('render --tagged-pdf', () => {
  it('writes a tagged PDF with the flag, an untagged one without it', async () => {
    const plain = join(dir, 'plain.pdf');
    const tagged = join(dir, 'tagged.pdf');
    expect((await cli(['render', snapFile, '--out', plain, '--server', 'EX2007', '--appendix', 'none'])).code).toBe(0);
    expect((await cli(['render', snapFile, '--out', tagged, '--server', 'EX2007', '--appendix', 'none', '--tagged-pdf'])).code).toBe(0);
    expect(pdfinfo(plain)).toMatch(/^Tagged:\s+no$/m);
    expect(pdfinfo(tagged)).toMatch(/^Tagged:\s+yes$/m);
    expect(execFileSync('pdfinfo', ['-struct', tagged], { encoding: 'utf8' })).toMatch(/^\s*H1\b/m);
  }, 60_000);
});

describe('render --font-dir', () => {
  it('takes faces for text DejaVu lacks from the named folder first', async () => {
    // Thai in the supplement: Debian's fonts-noto-core sets it in Noto Sans Thai; the folder holds Noto Serif Thai
    const supplement = join(dir, 'supplement.json');
    await writeFile(supplement, JSON.stringify({ servers: { EX2007: { location: 'Rack 3, กรุงเทพ' } } }));
    const fonts = join(dir, 'fonts');
    mkdirSync(fonts);
    copyFileSync('/usr/share/fonts/truetype/noto/NotoSerifThai-Regular.ttf', join(fonts, 'OurThai.ttf'));
    const system = join(dir, 'system.pdf');
    const own = join(dir, 'own.pdf');
    const base = ['--supplement', supplement, '--server', 'EX2007', '--appendix', 'none'];
    expect((await cli(['render', snapFile, '--out', system, ...base])).code).toBe(0);
    expect((await cli(['render', snapFile, '--out', own, ...base, '--font-dir', fonts])).code).toBe(0);
    expect(pdffonts(system)).toMatch(/\+NotoSansThai-Regular\s/);
    expect(pdffonts(system)).not.toMatch(/NotoSerifThai/);
    expect(pdffonts(own)).toMatch(/\+NotoSerifThai-Regular\s/);
  }, 60_000);

  it('is documented in --help with the environment variable it replaces', async () => {
    const r = await cli(['render', '--help']);
    const help = r.out.join('\n');
    expect(help).toMatch(/--tagged-pdf[\s\S]*EXBINDER_TAGGED_PDF=1/);
    expect(help).toMatch(/--font-dir <dir>[\s\S]*EXBINDER_FONT_DIRS/);
  });
});
