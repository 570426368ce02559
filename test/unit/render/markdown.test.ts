import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildView, renderMarkdown } from '../../../src/render/index.js';
import { mdCode, mdText } from '../../../src/render/escape.js';
import { ExbinderError } from '../../../src/errors.js';
import { sampleSnapshot } from './sample-snapshot.js';
import { fullSupplement, md, section, TEMPLATES } from './helpers.js';

const snap = sampleSnapshot();
const bare = renderMarkdown(buildView(snap, { supplement: null, drift: null }), { templatesDir: TEMPLATES });
const filled = renderMarkdown(buildView(snap, { supplement: fullSupplement(snap), drift: null }), { templatesDir: TEMPLATES });

/** Cells of a GFM table row: split on pipes that are not backslash-escaped. */
function cells(line: string): number {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).length;
}

describe('Markdown binder', () => {
  it('uses the shipped templates by default', () => {
    expect(renderMarkdown(buildView(snap, { supplement: null, drift: null }))).toBe(bare);
  });

  it('is deterministic', () => {
    expect(renderMarkdown(buildView(sampleSnapshot(), { supplement: null, drift: null }), { templatesDir: TEMPLATES })).toBe(bare);
  });

  it('every table row has the header\'s column count (source and parsed)', () => {
    const lines = bare.split('\n');
    let tables = 0;
    for (let i = 0; i < lines.length; i++) {
      if (!/^\| --- /.test(lines[i] ?? '')) continue;
      tables++;
      const width = cells(lines[i - 1] as string);
      expect(cells(lines[i] as string)).toBe(width);
      for (let j = i + 1; j < lines.length && (lines[j] ?? '').startsWith('|'); j++) expect(cells(lines[j] as string), lines[j]).toBe(width);
    }
    expect(tables).toBeGreaterThan(30);
    const tokens = md.parse(bare, {});
    expect(tokens.filter((t) => t.type === 'table_open').length).toBe(tables);
  });

  it('leaks no raw HTML: only print-directive comments', () => {
    const html = md.parse(bare, {}).flatMap((t) => [t, ...(t.children ?? [])]).filter((t) => t.type.startsWith('html'));
    expect(html.length).toBeGreaterThan(10);
    for (const t of html) expect(t.content.trim()).toMatch(/^<!--[^]*-->$/);
  });

  it('never mixes task items and plain bullets in one list', () => {
    for (const doc of [bare, filled]) {
      const tokens = md.parse(doc, {});
      const stack: { tasks: number; plain: number }[] = [];
      let lists = 0;
      tokens.forEach((t, i) => {
        if (t.type === 'bullet_list_open') stack.push({ tasks: 0, plain: 0 });
        if (t.type === 'list_item_open') {
          const inline = tokens[i + 2];
          const top = stack[stack.length - 1]!;
          if (inline && /^\[[ x]\] /.test(inline.content)) top.tasks++; else top.plain++;
        }
        if (t.type === 'bullet_list_close') {
          const top = stack.pop()!;
          lists++;
          expect(top.tasks === 0 || top.plain === 0, `list ${lists} mixes ${top.tasks} tasks and ${top.plain} bullets`).toBe(true);
        }
      });
      expect(lists).toBeGreaterThan(20);
    }
  });

  it('keeps Windows paths intact through CommonMark parsing', () => {
    const html = md.render(bare);
    expect(html).toContain('<code>C:\\Program Files\\Exchsrvr\\mdbdata\\priv1.edb</code>');
    expect(html).toContain('<code>setup.com /m:RecoverServer /TargetDir:&quot;D:\\Exchange Server&quot;\n</code>');
    expect(html).toContain('<code>E:\\Databases\\DB2016-01\\DB2016-01.edb</code>');
  });

  it('escapes | in cells and keeps the text', () => {
    const html = md.render(bare);
    expect(html).toContain('<td>Relay | Scanners</td>');
    expect(html).toContain('<td>Public | Archive SG</td>');
  });

  it('makes directory values inert: no HTML, emphasis or links from AD text', () => {
    const evil = sampleSnapshot();
    evil.organization.name = '<script>alert(1)</script> *bold* [x](http://e.vil) `tick` & co | pipe';
    evil.servers[0]!.computer!.operatingSystem = '# not a heading';
    const out = renderMarkdown(buildView(evil, { supplement: null, drift: null }), { templatesDir: TEMPLATES });
    const html = md.render(out);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<em>bold</em>');
    expect(html).not.toContain('href="http://e.vil"');
    // the bracketed word is a literal, set as code; the text reads as it was
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; *bold* <code>[x](http://e.vil)</code> `tick` &amp; co | pipe');
  });

  it('inline code spans survive backticks and pipes inside values', () => {
    expect(md.renderInline(mdCode('a`b'))).toBe('<code>a`b</code>');
    expect(md.renderInline(mdText('1. _x_ \\ y'))).toBe('1. _x_ \\ y');
    expect(mdText('a_b _c_ x & y &amp;')).toBe('a_b \\_c\\_ x & y \\&amp;');
  });

  it('prints Unicode names as they are', () => {
    for (const name of ['Contoso Zürich Ärzte', 'Αθήνα', 'Москва']) expect(bare).toContain(name);
  });

  it('each runbook has the 16 steps in order, each a task-list item', () => {
    for (const s of snap.servers) {
      const rb = section(bare, `Recovery runbook: ${s.name}`);
      const steps = [...rb.matchAll(/^- \[ \] \*\*(\d+)\. /gm)].map((m) => Number(m[1]));
      expect(steps, s.name).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    }
    const tokens = md.parse(bare, {});
    const items = tokens.filter((t) => t.type === 'inline' && /^\[[ x]\] /.test(t.content));
    expect(items.length).toBeGreaterThan(16 * snap.servers.length);
  });

  it('prints each server\'s own values in its runbook', () => {
    const rb = section(bare, 'Recovery runbook: EX2007');
    expect(rb).toContain('```\n  setup.com /m:RecoverServer /TargetDir:"D:\\Exchange Server"\n  ```');
    expect(rb).toContain('`CN=EX2007,OU=Exchange Servers,DC=contoso,DC=com`');
    expect(rb).toContain('Drives: D:, L:, M:');
    expect(rb).toContain('Relay from `10.0.5.0/24`');
    expect(rb).toContain('Relay from `10.0.6.7`');
    expect(rb).not.toContain('0.0.0.0-255.255.255.255');
    expect(rb).toContain('Volume Shadow Copy');
    expect(rb).toContain('`M:\\SG1\\Mailbox Database.edb`, logs `L:\\Logs\\SG1`');
    const rb16 = section(bare, 'Recovery runbook: EX2016');
    expect(rb16).toContain('Setup.exe /Mode:RecoverServer /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF');
    expect(rb16).not.toContain('/TargetDir');
    expect(rb16).toContain('Install-WindowsFeature NET-Framework-45-Features, Server-Media-Foundation');
    expect(rb16).toContain('`https://autodiscover.contoso.com/Autodiscover/Autodiscover.xml`');
    expect(rb16).toContain('Unified messaging');
    const rb10 = section(bare, 'Recovery runbook: EX2010B');
    expect(rb10).toContain('Before the rebuild: take EX2010B out of DAG DAG1');
    expect(rb10).toContain('Add-DatabaseAvailabilityGroupServer');
    expect(rb10).toContain('Import-Module ServerManager');
  });

  it('without a supplement prints blanks to write on and leaves the checklist open', () => {
    const rb = section(bare, 'Recovery runbook: EX2007');
    expect(rb).toContain('Reinstall the file-level antivirus:** ________________');
    expect(rb).toContain('Stop inbound mail** at: ________________');
    const checklist = section(bare, 'Pre-disaster documentation checklist');
    expect(checklist).toContain('- [ ] **Server hardware (make, model, CPU, memory) or VM host**');
    expect(checklist).toContain('- [ ] **Backup software, media and keys**');
    expect(checklist).toContain('- [x] **Exchange install location**');
    expect(section(bare, 'Server EX2010B')).toContain('| IP address(es) | ________________ |');
  });

  it('with a full supplement prints the values and ticks the checklist', () => {
    const rb = section(filled, 'Recovery runbook: EX2007');
    expect(rb).toContain('Reinstall the file-level antivirus:** AV-Files 1.0');
    expect(rb).toContain('Stop inbound mail** at: firewall rule 7');
    expect(rb).toContain('Reinstall the backup agent:** BackupPro 9; configuration: job EXCH\\-DAILY'.replace('\\-', '-'));
    const checklist = section(filled, 'Pre-disaster documentation checklist');
    expect(checklist.match(/^- \[x\]/gm)?.length).toBe(8);
    expect(checklist).not.toContain('- [ ]');
    expect(section(filled, 'Server EX2010B')).toContain('| IP address(es) | 10.9.9.4 (supplement) |');
    expect(section(filled, 'Server EX2007')).toContain('| Model | PowerEdge R710 |');
    expect(section(filled, 'Virtual-guest recovery')).toContain('EX2010A: VM `VM-EX2010A` on host esx01, image backups at VM backup repo 3');
  });

  it('prints the drift report on the cover and in the appendix', () => {
    const drift = {
      driftSchemaVersion: 1 as const, baseline: { id: 'aaaa1111bbbb2222', harvestedAt: '2026-11-01T00:00:00Z' },
      current: { id: 'cccc3333dddd4444', harvestedAt: '2026-11-20T08:30:00Z' }, critical: 1, info: 0,
      changes: [{ severity: 'critical' as const, kind: 'changed' as const, collection: 'databases', guid: null, dn: 'CN=DB01', name: 'DB01', field: 'edbFilePath', old: 'E:\\DB01\\DB01.edb', new: 'G:\\DB01\\DB01.edb' }],
    };
    const out = renderMarkdown(buildView(snap, { supplement: null, drift }), { templatesDir: TEMPLATES });
    expect(out).toContain('| Drift status | 1 critical change and 0 other changes since aaaa1111bbbb2222');
    expect(section(out, 'Appendix A: Changes since the last known good snapshot')).toContain('| critical | changed | Database | DB01 | EDB file path | `E:\\DB01\\DB01.edb` | `G:\\DB01\\DB01.edb` |');
    expect(section(bare, 'Appendix A: Changes since the last known good snapshot')).toContain('No drift report was given');
  });

  it('an edited template changes the output; a template error names the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exb-tpl-'));
    cpSync(TEMPLATES, dir, { recursive: true });
    const cover = join(dir, 'partials', 'cover.md.hbs');
    writeFileSync(cover, readFileSync(cover, 'utf8').replace('## Control', '## Custody'));
    const out = renderMarkdown(buildView(snap, { supplement: null, drift: null }), { templatesDir: dir });
    expect(out).toContain('## Custody');
    writeFileSync(cover, '{{shout cover.organization}}');
    let err: unknown;
    try { renderMarkdown(buildView(snap, { supplement: null, drift: null }), { templatesDir: dir }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ExbinderError);
    expect((err as Error).message).toMatch(/cover\.md\.hbs: .*unknown helper shout/);
    writeFileSync(cover, '{{cover.nosuchfield}}');
    const dir2 = mkdtempSync(join(tmpdir(), 'exb-tpl2-'));
    cpSync(dir, dir2, { recursive: true });
    expect(() => renderMarkdown(buildView(snap, { supplement: null, drift: null }), { templatesDir: dir2 })).toThrow(/"nosuchfield" not defined/);
    expect(() => renderMarkdown(buildView(snap, { supplement: null, drift: null }), { templatesDir: join(dir, 'nope') })).toThrow(/has no binder\.md\.hbs/);
  });
});
