/**
 * The binder of the contoso test organization, end to end on real parts:
 * harvested over LDAPS from the Samba AD DC, rendered here to
 * Markdown and PDF, and read back with poppler. Also checks that the shipped
 * supplement example is valid for this organization.
 *
 * EXBINDER_RENDER_OUT=DIR keeps the outputs (used for docs/images).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { harvest } from '../../../src/harvest/index.js';
import { buildView, loadSupplement, renderMarkdown, renderPdf } from '../../../src/render/index.js';
import type { Snapshot } from '../../../src/snapshot/model.js';
import { openLdap } from '../../../src/source/index.js';
import type { DcContext } from '../../dc/samba.js';
import { md, unwrap } from '../../unit/render/helpers.js';
import { pagesText, pdfinfo, squash, writeTemp } from '../../unit/render/pdf-tools.js';

declare module 'vitest' {
  interface ProvidedContext {
    dc: DcContext;
  }
}

const dc = inject('dc');
const HARVESTED_AT = new Date('2026-11-24T06:00:00Z');

async function harvestContoso(): Promise<Snapshot> {
  const dir = await openLdap({ url: dc.ldapsUrl, bindDn: dc.readerUpn, password: dc.readerPassword, caFile: dc.caFile });
  try {
    return await harvest(dir, { toolVersion: '0.1.0-test', now: () => HARVESTED_AT });
  } finally {
    await dir.close().catch(() => undefined);
  }
}

async function render(snapshot: Snapshot, supplementFile: string | null) {
  const supplement = supplementFile ? loadSupplement(supplementFile, snapshot) : null;
  const view = buildView(snapshot, { supplement, drift: null });
  const markdown = renderMarkdown(view);
  const pdf = await renderPdf(markdown, {
    paper: 'a4', title: view.title, header: view.cover.organization,
    creationDate: new Date(snapshot.metadata.harvestedAt), snapshotLabel: `Snapshot ${view.cover.snapshotId} (${snapshot.metadata.harvestedAt})`,
  });
  // wrapped prose joined again (see unwrap): the checks look for sentences
  return { view, markdown: unwrap(markdown), pdf };
}

const headerOf = (page: string) => { const l = page.trimEnd().split('\n'); return l[l.length - 2] ?? ''; };
const chapter = (pages: string[], title: string) => squash(pages.filter((p) => headerOf(p).endsWith(` ${title}`)).join('\n'));

describe('binder of the harvested contoso organization', () => {
  let snapshot: Snapshot;
  let bare: Awaited<ReturnType<typeof render>>;
  let filled: Awaited<ReturnType<typeof render>>;
  let pages: string[];

  beforeAll(async () => {
    snapshot = await harvestContoso();
    bare = await render(snapshot, null);
    // The test DC's host name depends on its slot (dc1, dc2…); the example names DC1.
    const dcName = snapshot.forest.domainControllers[0]!.name;
    const example = readFileSync('fixtures/supplement.example.yaml', 'utf8').replace(/^  DC1:$/m, `  ${dcName}:`);
    const supplementFile = join(mkdtempSync(join(tmpdir(), 'exb-sup-')), 'supplement.yaml');
    writeFileSync(supplementFile, example);
    filled = await render(snapshot, supplementFile);
    pages = pagesText(writeTemp(bare.pdf));
    const out = process.env['EXBINDER_RENDER_OUT'];
    if (out) {
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'contoso.md'), bare.markdown);
      writeFileSync(join(out, 'contoso.pdf'), bare.pdf);
      writeFileSync(join(out, 'contoso-supplement.md'), filled.markdown);
      writeFileSync(join(out, 'contoso-supplement.pdf'), filled.pdf);
    }
  }, 120_000);

  it('has a chapter and a runbook for every Exchange server of the fixture', () => {
    const names = snapshot.servers.map((s) => s.name).sort();
    expect(names).toEqual(['EDGE01', 'EX2003', 'EX2007', 'EX2010A', 'EX2010B', 'EX2016', 'EX2019', 'EXCMS01']);
    for (const n of names) {
      expect(bare.markdown).toContain(`# Server ${n}\n`);
      expect(bare.markdown).toContain(`# Recovery runbook: ${n}\n`);
    }
    expect(Number(pdfinfo(writeTemp(bare.pdf))['Pages'])).toBe(pages.length);
  });

  it('prints every harvested server value, database, path, URL and IP in its PDF chapter and runbook', () => {
    let checked = 0;
    for (const s of bare.view.servers) {
      const text = chapter(pages, `Server ${s.name}`);
      const values = [
        s.name, s.fqdn, ...s.ipAddresses, s.installPath, s.computerDn, s.serialNumber,
        ...s.databases.flatMap((d) => [d.name, d.edbPath, d.logPath]),
        ...s.virtualDirectories.flatMap((v) => [v.internalUrl, v.externalUrl]),
        ...s.receiveConnectors.flatMap((r) => r.remoteIpRanges),
      ].filter((x): x is string => !!x);
      for (const v of values) { expect(text, `${s.name}: ${v}`).toContain(squash(v)); checked++; }
      const runbook = chapter(pages, `Recovery runbook: ${s.name}`);
      const rvalues = [
        s.runbook.plan.kind === 'edge' || s.runbook.plan.kind === 'cms-2007' ? null : s.runbook.recoverCommand,
        s.runbook.plan.kind === 'edge' ? null : s.computerDn, ...s.runbook.relayRanges.map((r) => r.range), ...s.runbook.owaUrls,
      ]
        .filter((x): x is string => !!x);
      for (const v of rvalues) { expect(runbook, `${s.name} runbook: ${v}`).toContain(squash(v)); checked++; }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('derives the recovery facts from what was harvested', () => {
    const byName = Object.fromEntries(bare.view.servers.map((s) => [s.name, s]));
    expect(byName['EX2003']?.runbook.recoverCommand).toBe('setup.exe /disasterrecovery');
    // serialNumber "Build 7638.2: Service Pack 2": the SP2 update follows setup, both in disaster-recovery mode
    expect(byName['EX2003']?.runbook.legacy2003).toEqual({ servicePack: 'SP2', commands: ['setup.exe /disasterrecovery', 'update.exe /disasterrecovery'] });
    expect(byName['EX2007']?.runbook.recoverCommand).toMatch(/^setup\.com \/m:RecoverServer/);
    expect(byName['EX2010A']?.runbook.recoverCommand).toMatch(/^Setup \/m:RecoverServer/);
    expect(byName['EX2019']?.runbook.recoverCommand).toMatch(/^Setup\.exe \/Mode:RecoverServer \/IAcceptExchangeServerLicenseTerms/);
    // prerequisites in the command shape of the harvested Windows release (fixtures/microsoft/prerequisites.md has Microsoft's lines)
    const ex2019 = byName['EX2019']!.runbook.prerequisites;
    expect(ex2019.join('\n')).not.toContain('AS-HTTP-Activation');
    expect(ex2019.filter((l) => l.startsWith('# '))).toEqual(['# Desktop Experience:', '# Server Core:']);
    expect(byName['EX2010A']!.runbook.prerequisites[0]).toBe('Import-Module ServerManager');
    expect(byName['EX2010A']!.runbook.prerequisites[1]).toMatch(/^Add-WindowsFeature /);
    expect(byName['EX2016']!.runbook.prerequisites).toEqual([expect.stringMatching(/^Install-WindowsFeature NET-Framework-45-Features, /)]);
    expect(byName['EX2019']!.runbook.prerequisiteSource).toContain('https://learn.microsoft.com/exchange/plan-and-deploy/prerequisites');
    for (const s of bare.view.servers) {
      expect(s.disks.length, s.name).toBeGreaterThan(0);
      for (const d of s.databases) expect(s.disks.some((k) => k.uses.some((u) => u.path === d.edbPath)), `${s.name} ${d.name}`).toBe(true);
    }
  });

  describe('the recovery plan of each server class, from the harvested values', () => {
    const rb = (name: string) => {
      const m = bare.markdown;
      const start = m.indexOf(`# Recovery runbook: ${name}\n`);
      expect(start, name).toBeGreaterThanOrEqual(0);
      const end = m.indexOf('\n# ', start + 10);
      return m.slice(start, end < 0 ? undefined : end);
    };
    const before = (text: string, a: string, b: string) => {
      expect(text, a).toContain(a);
      expect(text, b).toContain(b);
      expect(text.indexOf(a), `${a} before ${b}`).toBeLessThan(text.indexOf(b));
    };

    it('DAG member EX2010A: copies removed, then re-added with the harvested preference and lags; no restore of replicated databases', () => {
      const r = rb('EX2010A');
      expect(r).toContain('| DB2010-02 | 2 | `7.00:00:00` | `1.00:00:00` | EX2010B |');
      before(r, "Remove-MailboxDatabaseCopy -Identity 'DB2010-02\\EX2010A' -Confirm:$false", "Remove-DatabaseAvailabilityGroupServer -Identity 'DAG1' -MailboxServer 'EX2010A' -ConfigurationOnly");
      before(r, 'Setup /m:RecoverServer', "Add-DatabaseAvailabilityGroupServer -Identity 'DAG1' -MailboxServer 'EX2010A'");
      before(r, "Add-DatabaseAvailabilityGroupServer -Identity 'DAG1' -MailboxServer 'EX2010A'",
        "Add-MailboxDatabaseCopy -Identity 'DB2010-02' -MailboxServer 'EX2010A' -ActivationPreference 2 -ReplayLagTime 7.00:00:00 -TruncationLagTime 1.00:00:00");
      expect(r).toContain("Add-MailboxDatabaseCopy -Identity 'DB2010-01' -MailboxServer 'EX2010A' -ActivationPreference 1\n");
      expect(r).not.toContain('can be overwritten by a restore');
      expect(r).not.toMatch(/- \[ \] DB2010-0[12]:/);
      expect(r).toContain('No restore from backup: every database of EX2010A has a copy on another member.');
    });

    it('Edge EDGE01: no domain join, no computer account reset, no RecoverServer; a new Edge Subscription for its site', () => {
      const r = rb('EDGE01');
      expect(r).not.toMatch(/Join the domain|Reset the computer account|\/Mode:RecoverServer|\/m:RecoverServer|Restore each database/);
      // the old subscription is kept and overwritten ("You don't need to first remove the original Edge Subscription",
      // edge-subscription-procedures); removing it, which deletes Send connectors sourced only on the Edge, is the fallback
      expect(r).not.toContain('Remove the old Edge Subscription');
      before(r, 'Setup.exe /Mode:Install /Roles:EdgeTransport', '**9. Keep the old Edge Subscription:**');
      before(r, "Get-SendConnector | Where-Object {$_.SourceTransportServers -like '*EDGE01*'} | Format-List", 'Only if resubscribing fails, remove the old subscription.');
      before(r, 'Only if resubscribing fails, remove the old subscription.', "Remove-EdgeSubscription -Identity 'EDGE01'");
      before(r, "Remove-EdgeSubscription -Identity 'EDGE01'", "-Site 'Default-First-Site-Name'");
      // the fixture's EdgeSync connector (what New-EdgeSubscription creates for the Internet), named before it can be removed
      expect(r.replace(/\s+/g, ' ')).toContain('Send connectors recorded in AD with EDGE01 as a source server: EdgeSync - Default-First-Site-Name to Internet (address spaces `SMTP:*;100`);');
      expect(r).toContain("Start-EdgeSynchronization -TargetServer 'EDGE01' -ForceFullSync");
    });

    it('RSG holder EX2007: the RSG goes first, its database is never a restore target', () => {
      const r = rb('EX2007');
      before(r, "Remove-StorageGroup -Identity 'EX2007\\Recovery Storage Group'", '**14. Restore each database**');
      const restore = r.slice(r.indexOf('**14. Restore each database**'));
      expect(restore).toContain('- [ ] Zürich Ärzte: `F:\\Databases\\SG3\\Zürich Ärzte.edb`');
      expect(restore).not.toContain('Mailbox Database (Recovery)');
      expect(r.slice(r.indexOf('can be overwritten by a restore'), r.indexOf('**10.'))).not.toContain('(Recovery)');
    });

    it('EX2007 (Exchange 2007 SP3 on Windows Server 2008 R2): Add-WindowsFeature without the PowerShell feature, which 2008 R2 has built in', () => {
      const r = rb('EX2007');
      // (the feature list is wrapped after its commas: joined back, it is the one command)
      expect(r.replace(/,\n {6}(?=\S)/g, ', ')).toContain('  Import-Module ServerManager\n  Add-WindowsFeature Web-Server, Web-ISAPI-Ext, Web-Metabase, Web-Lgcy-Mgmt-Console, Web-Basic-Auth, Web-Digest-Auth, Web-Windows-Auth, Web-Dyn-Compression, RPC-over-HTTP-proxy\n');
      expect(r).toContain('Windows PowerShell 2.0 is part of the operating system');
      // the RSG's removal commands leave its files: the runbook says so
      before(r, "Remove-StorageGroup -Identity 'EX2007\\Recovery Storage Group'", 'delete the files of the recovery storage group');
    });

    it('EDGE01 step 12 and EX2003 step 16: nothing that belongs to another server class', () => {
      const edge = rb('EDGE01');
      expect(edge.slice(edge.indexOf('**12. Version-specific fixes:**'), edge.indexOf('**13.'))).not.toContain('RecoverServer');
      const ex2003 = rb('EX2003');
      expect(ex2003.slice(ex2003.indexOf('**16. Test.**'))).not.toContain('Autodiscover');
    });

    it('2007 clustered mailbox server EXCMS01: /RecoverCMS with its name and recorded IP, not /m:RecoverServer', () => {
      const r = rb('EXCMS01');
      // Windows Server 2008 nodes: the IP switch of a Windows Server 2008 failover cluster, and where to check it
      expect(r).toContain('Setup.com /RecoverCMS /CMSName:EXCMS01 /CMSIPv4Addresses:10.0.1.25');
      expect(r).toContain('`Setup.com /?` on the Exchange media lists the switches of that build.');
      expect(r).toContain('`EXCMS01-N1`, `EXCMS01-N2`');
      expect(r).not.toMatch(/setup(\.com)? \/m:RecoverServer/i);
      // CCR on Windows Server 2008: Failover Clustering on the nodes (bb691354(v=exchg.80)); one node lost: no /RecoverCMS
      expect(r).toContain('  ServerManagerCmd -i Web-Windows-Auth\n  ServerManagerCmd -i Failover-Clustering\n');
      before(r, '**If one node of EXCMS01 is still running: do not run /RecoverCMS and do not restore.**', '**1. Order replacement hardware.**');
    });

    it('Scripting Agent enabled in AD: disabled before setup and enabled after, on the 2010+ servers', () => {
      const r = rb('EX2019');
      before(r, 'Disable-CmdletExtensionAgent -Identity "Scripting Agent"', 'Setup.exe /Mode:RecoverServer');
      before(r, 'Setup.exe /Mode:RecoverServer', 'Enable-CmdletExtensionAgent -Identity "Scripting Agent"');
      expect(rb('EX2003')).not.toContain('CmdletExtensionAgent');
    });

    it('the Front End transport logs put T: in EX2019\'s disk layout; the DAG table prints the witness share as UNC', () => {
      const ex2019 = bare.view.servers.find((x) => x.name === 'EX2019')!;
      expect(ex2019.disks.map((x) => x.drive)).toContain('T:');
      expect(bare.markdown).toContain('| DAG1 | EX2010A, EX2010B | DagOnly | 10.0.1.50, 10.0.2.50 |');
      expect(bare.markdown).toContain('| DAG1 | primary | `\\\\fs01.contoso.test\\DAG1.contoso.test` | `C:\\DAGFileShareWitnesses\\DAG1.contoso.test` |');
      expect(bare.markdown).toContain('| DAG1 | alternate | `\\\\fs02.contoso.test\\DAG1.contoso.test` | `C:\\DAGFileShareWitnesses\\DAG1.contoso.test` |');
      expect(chapter(pages, 'Server EX2019')).toContain(squash('<I>CN=Contoso Issuing CA 1, DC=contoso, DC=test<S>CN=relay.contoso.test'));
    });
  });

  it('the shipped supplement example fits this organization and fills the blanks', () => {
    const rb = filled.markdown.slice(filled.markdown.indexOf('# Recovery runbook: EX2007'));
    expect(rb).toContain('Reinstall the file-level antivirus:** ESET Server Security 11');
    expect(filled.markdown).toContain('| Model | PowerEdge R710 |');
    expect(filled.markdown).toContain('VM `EX2019-PROD` on host hv02.contoso.test');
    const checklist = filled.markdown.slice(filled.markdown.indexOf('# Pre-disaster documentation checklist'));
    expect(checklist).toContain('- [x] **Backup software, media and keys**');
    expect(checklist).toContain('- [x] **SSL certificate exported and stored**');
    const bareChecklist = bare.markdown.slice(bare.markdown.indexOf('# Pre-disaster documentation checklist'));
    expect(bareChecklist).toContain('- [ ] **Backup software, media and keys**');
    expect(bare.markdown).toContain('Reinstall the file-level antivirus:** ________________');
  });

  it('writes valid Markdown without raw HTML', () => {
    const html = md.parse(bare.markdown, {}).flatMap((t) => [t, ...(t.children ?? [])]).filter((t) => t.type.startsWith('html'));
    for (const t of html) expect(t.content.trim()).toMatch(/^<!--[^]*-->$/);
  });

  it('a second harvest of the unchanged directory renders byte-identical Markdown and PDF', async () => {
    const again = await render(await harvestContoso(), null);
    expect(again.markdown).toBe(bare.markdown);
    expect(again.pdf.equals(bare.pdf)).toBe(true);
  });
});
