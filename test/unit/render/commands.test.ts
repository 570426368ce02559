/**
 * Long command lines in the binder: a PowerShell feature list wrapped after
 * its commas (the same tokens when joined back, every continuation line
 * indented), every other long command left one line (a cmd.exe Setup.exe line
 * has no continuation) with "type as one line" under its block, and the PDF
 * (read back with poppler) wrapping such a line on paper after a ↪ mark.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { buildView } from '../../../src/render/index.js';
import { COMMAND_WIDTH, TYPE_AS_ONE_LINE, wrapArgumentList, wrapCommands } from '../../../src/render/reflow.js';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { fixtureBinder } from './helpers.js';
import { pagesText, writeTemp } from './pdf-tools.js';

const tokens = (s: string) => s.trim().split(/\s+/);

describe('wrapArgumentList', () => {
  const install = 'Install-WindowsFeature NET-Framework-45-Features, Server-Media-Foundation, RPC-over-HTTP-proxy, RSAT-Clustering, ' +
    'RSAT-Clustering-CmdInterface, RSAT-Clustering-Mgmt, RSAT-Clustering-PowerShell, WAS-Process-Model, Web-Asp-Net45, RSAT-ADDS -Restart';

  it('wraps after commas only; joined back it is the same token list; continuations are indented', () => {
    const lines = wrapArgumentList(install, 60)!;
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
    for (const l of lines.slice(0, -1)) expect(l).toMatch(/,$/);
    for (const l of lines.slice(1)) expect(l).toMatch(/^ {4}\S/);
    expect(tokens(lines.join('\n'))).toEqual(tokens(install));
    expect(lines.join(' ').replace(/\s+/g, ' ')).toBe(install);
    expect(lines.at(-1)).toMatch(/RSAT-ADDS -Restart$/);
  });

  it('leaves alone what a trailing comma would not continue: cmd.exe Setup lines, quoted values, pipelines, parameters', () => {
    for (const c of [
      'Setup.exe /Mode:RecoverServer /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /TargetDir:"D:\\Program Files\\Microsoft\\Exchange Server\\V15"',
      "Add-MailboxDatabaseCopy -Identity 'DB2010-02' -MailboxServer 'EX2010A' -ActivationPreference 2 -ReplayLagTime 7.00:00:00",
      "Get-SendConnector | Where-Object {$_.SourceTransportServers -like '*EDGE01*'} | Format-List",
      '$dn = "CN=FAB-MBX2,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,DC=fabrikam,DC=test"',
    ]) expect(wrapArgumentList(c, 40), c).toBeNull();
  });

  it('a fenced block: the list wrapped with the fence indent, a long Setup line kept whole with the note under its block', () => {
    const setup = 'Setup.exe /Mode:RecoverServer /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /TargetDir:"D:\\Program Files\\Microsoft"';
    const md = ['- [ ] step', '', '  ```', `  ${install}`, '  ```', '', '  ```', `  ${setup}`, '  ```', ''].join('\n');
    const out = wrapCommands(md).split('\n');
    expect(out).toContain(`  ${setup}`);
    expect(out[out.indexOf(`  ${setup}`) + 3]).toBe(`  ${TYPE_AS_ONE_LINE}`);
    const listLines = out.slice(3, out.indexOf('  ```', 3));
    for (const l of listLines) expect(l.length).toBeLessThanOrEqual(COMMAND_WIDTH);
    for (const l of listLines.slice(1)) expect(l).toMatch(/^ {6}\S/);
    expect(tokens(listLines.join(' '))).toEqual(tokens(install));
    // the list's own block needs no note: it is typed as printed
    expect(out.slice(0, out.indexOf(`  ${setup}`)).join('\n')).not.toContain(TYPE_AS_ONE_LINE);
  });
});

for (const org of ['contoso', 'fabrikam'] as const) {
  describe(`commands of the ${org} binder`, () => {
    let snap: Snapshot;
    let md: string;
    let pdfText: string;
    beforeAll(async () => {
      const b = await fixtureBinder(org);
      snap = b.snap;
      md = b.markdown;
      pdfText = pagesText(writeTemp(b.pdf)).join('\n');
    }, 60_000);

    it('Markdown: every feature list within the width and equal to the command when joined; Setup lines whole', () => {
      const view = buildView(snap, { supplement: null, drift: null });
      const lists = view.servers.flatMap((s) => s.runbook.prerequisites).filter((c) => /^(Install|Add)-WindowsFeature .*, /.test(c));
      expect(lists.length).toBeGreaterThan(0);
      const lines = md.split('\n');
      for (const command of lists) {
        // the command's block: its first line and the indented continuations (several servers print the same list)
        const blocks = lines.flatMap((l, at) => {
          if (!l.trim().startsWith(command.slice(0, 40))) return [];
          const block: string[] = [l];
          for (let k = at + 1; /^\s{4,}\S/.test(lines[k] ?? '') && !/```/.test(lines[k] ?? ''); k++) block.push(lines[k] as string);
          return [block];
        });
        const same = blocks.filter((b) => tokens(b.join(' ')).join(' ') === tokens(command).join(' '));
        expect(same.length, command).toBeGreaterThan(0);
        for (const block of same) {
          if (command.length > COMMAND_WIDTH) expect(block.length).toBeGreaterThan(1);
          for (const l of block) expect(l.length).toBeLessThanOrEqual(COMMAND_WIDTH);
          for (const l of block.slice(0, -1)) expect(l).toMatch(/,$/);
        }
      }
      const recover = view.servers.map((s) => s.runbook.recoverCommand).filter((c): c is string => !!c && /^Setup\.exe /.test(c));
      expect(recover.length).toBeGreaterThan(0);
      for (const c of recover) expect(lines.some((l) => l.trim() === c), c).toBe(true);
    });

    it('PDF: a feature list reads back as the same command; a line too long for the page continues after ↪ and joins back', () => {
      const view = buildView(snap, { supplement: null, drift: null });
      const list = view.servers.flatMap((s) => s.runbook.prerequisites).find((c) => /^Install-WindowsFeature .*, .*, .*, /.test(c) && c.length > 300)!;
      const lines = pdfText.split('\n');
      const at = lines.findIndex((l) => l.startsWith(list.slice(0, 40)));
      expect(at).toBeGreaterThan(0);
      let joined = '';
      for (let k = at; !joined.endsWith(list.slice(-20)) && k < at + 20; k++) joined += ` ${lines[k]}`;
      expect(tokens(joined)).toEqual(tokens(list));
      // a long one-line command: the print wraps it after the mark, and without the marks it is the command
      const long = [...md.matchAll(/^\s*(\S.{97,})$/gm)].map((m) => m[1] as string)
        .find((l) => /^(Setup\.exe|Add-MailboxDatabaseCopy|New-EdgeSubscription|Remove-DatabaseAvailabilityGroupServer|\$dn = )/.test(l));
      expect(long).toBeDefined();
      const start = lines.findIndex((l, k) => long!.startsWith(l.trim()) && l.trim().length >= 20 && /^↪ /.test(lines[k + 1] ?? ''));
      expect(start).toBeGreaterThan(0);
      expect(lines[start + 1]).toMatch(/^↪ /);
      let typed = (lines[start] as string).trim();
      for (let k = start + 1; /^↪ /.test(lines[k] ?? ''); k++) typed += ` ${(lines[k] as string).slice(2)}`;
      expect(tokens(typed)).toEqual(tokens(long!));
      expect(pdfText.replace(/\s+/g, ' ')).toContain(TYPE_AS_ONE_LINE);
    });
  });
}
