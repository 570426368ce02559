import { productOf } from '../../../src/exchange/version.js';
import { describe, expect, it } from 'vitest';
import { buildView } from '../../../src/render/view/build.js';
import { attributeSpelling } from '../../../src/harvest/registry.js';
import { renderMarkdown } from '../../../src/render/markdown.js';
import { generationOf, DEFAULT_INSTALL_PATH } from '../../../src/render/view/versions.js';
import { windowsReleaseOf } from '../../../src/render/view/os.js';
import { recoverServerCommand, needsTargetDir, versionFixes } from '../../../src/render/view/recovery.js';
import { diskLayout, driveOf } from '../../../src/render/view/disks.js';
import { isAnyRange, sslNames } from '../../../src/render/view/names.js';
import { sampleSnapshot } from './sample-snapshot.js';

// versions as the harvest makes them: the product is decided there (src/exchange/version.ts)
const ver = (major: number, minor: number, build: number) => ({ major, minor, build, revision: 0, product: productOf({ major, minor, build }), release: null, label: 'x' });

describe('version table', () => {
  it.each([
    [6, 5, 7638, '2003'], [8, 3, 83, '2007'], [14, 3, 123, '2010'], [15, 0, 1497, '2013'],
    [15, 1, 2507, '2016'], [15, 2, 1748, '2019'], [15, 2, 2562, 'SE'], [9, 0, 1, 'unknown'],
  ] as const)('%i.%i.%i is Exchange %s', (major, minor, build, gen) => {
    expect(generationOf(ver(major, minor, build))).toBe(gen);
  });
});

describe('recover-server command per version', () => {
  it.each([
    ['2003', ver(6, 5, 7638), 'C:\\Program Files\\Exchsrvr', 'setup.exe /disasterrecovery'],
    ['2007', ver(8, 3, 83), 'C:\\Program Files\\Microsoft\\Exchange Server', 'setup.com /m:RecoverServer'],
    ['2007', ver(8, 3, 83), 'D:\\Exchange Server', 'setup.com /m:RecoverServer /TargetDir:"D:\\Exchange Server"'],
    ['2010', ver(14, 3, 123), 'C:\\Program Files\\Microsoft\\Exchange Server\\V14\\', 'Setup /m:RecoverServer'],
    ['2013', ver(15, 0, 1497), 'C:\\Program Files\\Microsoft\\Exchange Server\\V15', 'Setup.exe /Mode:RecoverServer /IAcceptExchangeServerLicenseTerms'],
    ['2016', ver(15, 1, 2308), 'C:\\Program Files\\Microsoft\\Exchange Server\\V15', 'Setup.exe /Mode:RecoverServer /IAcceptExchangeServerLicenseTerms'],
    ['2016', ver(15, 1, 2375), 'C:\\Program Files\\Microsoft\\Exchange Server\\V15', 'Setup.exe /Mode:RecoverServer /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF'],
    ['2019', ver(15, 2, 922), 'E:\\Exchange', 'Setup.exe /Mode:RecoverServer /IAcceptExchangeServerLicenseTerms /TargetDir:"E:\\Exchange"'],
    ['2019', ver(15, 2, 986), 'c:\\program files\\microsoft\\exchange server\\v15', 'Setup.exe /Mode:RecoverServer /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF'],
    ['SE', ver(15, 2, 2562), 'C:\\Program Files\\Microsoft\\Exchange Server\\V15', 'Setup.exe /Mode:RecoverServer /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF'],
  ] as const)('Exchange %s at %s', (gen, v, path, cmd) => {
    expect(recoverServerCommand(gen, v, path)).toBe(cmd);
  });

  it('compares install paths case-insensitively and ignores a trailing backslash', () => {
    expect(needsTargetDir('2010', 'c:\\program files\\microsoft\\exchange server\\v14\\')).toBe(false);
    expect(needsTargetDir('2010', 'D:\\Program Files\\Microsoft\\Exchange Server\\V14')).toBe(true);
    expect(needsTargetDir('unknown', 'D:\\x')).toBe(false);
    expect(DEFAULT_INSTALL_PATH['2003']).toBe('C:\\Program Files\\Exchsrvr');
  });
});

describe('Windows release of the computer account', () => {
  it.each([
    ['Windows Server 2008 R2 Standard', null, '2008 R2'], ['Windows Server® 2008 Enterprise', null, '2008'],
    ['Windows Server 2003', '5.2 (3790)', '2003'], ['Windows Server 2012 R2 Datacenter', null, '2012 R2'],
    [null, '10.0 (17763)', '2019'], [null, '10.0 (14393)', '2016'], [null, '10.0 (20348)', '2022'], [null, '6.1 (7601)', '2008 R2'], [null, null, 'unknown'],
  ] as const)('%s / %s → %s', (os, v, rel) => expect(windowsReleaseOf(os, v)).toBe(rel));
});

describe('version-specific fixes', () => {
  it('Exchange 2007 on Windows Server 2003 needs the VSS update before restores', () => {
    expect(versionFixes('2007', '2003', ['Mailbox']).join(' ')).toContain('Volume Shadow Copy');
    expect(versionFixes('2007', '2008', ['Mailbox']).join(' ')).not.toContain('Volume Shadow Copy');
  });
});

describe('disk layout', () => {
  it('groups every path by drive letter, upper-cased, with UNC shares apart', () => {
    expect(driveOf('e:\\db')).toBe('E:');
    expect(driveOf('\\\\fs1\\share\\x')).toBe('\\\\fs1\\share');
    expect(driveOf('relative')).toBeNull();
    const layout = diskLayout([
      { what: 'Logs', path: 'f:\\Logs' }, { what: 'EDB', path: 'E:\\DB\\a.edb' }, { what: 'Install', path: 'C:\\Exchange' },
      { what: 'EDB', path: 'E:\\DB\\a.edb' },
    ]);
    expect(layout.map((d) => d.drive)).toEqual(['C:', 'E:', 'F:']);
    expect(layout[1]?.uses).toEqual([{ what: 'EDB', path: 'E:\\DB\\a.edb' }]);
  });
});

describe('names and ranges', () => {
  it('leaves out the "anyone" ranges of default connectors', () => {
    expect(isAnyRange('0.0.0.0-255.255.255.255')).toBe(true);
    expect(isAnyRange('::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(isAnyRange('10.0.0.0/8')).toBe(false);
  });
  it('SSL names: FQDN, URL hosts and autodiscover per authoritative domain, for client-facing servers only', () => {
    const domains = sampleSnapshot().acceptedDomains;
    expect(sslNames('EX1.contoso.com', ['https://Mail.contoso.com/owa', null, 'not a url'], domains, true))
      .toEqual(['autodiscover.contoso.ch', 'autodiscover.contoso.com', 'ex1.contoso.com', 'mail.contoso.com']);
    expect(sslNames('ex1.contoso.com', ['https://mail.contoso.com/owa'], domains, false)).toEqual(['ex1.contoso.com']);
  });
});

describe('buildView on the sample organization', () => {
  const view = buildView(sampleSnapshot(), { supplement: null, drift: null });
  const server = (name: string) => view.servers.find((s) => s.name === name)!;

  it('sorts servers and derives per-server facts', () => {
    expect(view.servers.map((s) => s.name)).toEqual(['EX2003', 'EX2007', 'EX2010A', 'EX2010B', 'EX2016']);
    const ex2007 = server('EX2007');
    expect(ex2007.runbook.recoverCommand).toBe('setup.com /m:RecoverServer /TargetDir:"D:\\Exchange Server"');
    expect(ex2007.runbook.targetDirNeeded).toBe(true);
    expect(ex2007.disks.map((d) => d.drive)).toEqual(['D:', 'L:', 'M:']);
    expect(ex2007.runbook.minimumDrives).toBe(3);
    expect(ex2007.runbook.relayRanges).toEqual([
      { connector: 'Relay | Scanners', range: '10.0.5.0/24' }, { connector: 'Relay | Scanners', range: '10.0.6.7' },
    ]);
    expect(ex2007.databases.map((d) => [d.name, d.logPath])).toEqual([['Mailbox Database', 'L:\\Logs\\SG1'], ['Public Folder Database', 'L:\\Logs\\SG2']]);
  });

  it('includes DAG copies hosted on a server and marks the DAG member', () => {
    const b = server('EX2010B');
    expect(b.databases.map((d) => d.name)).toEqual(['DB01', 'DB02']);
    expect(b.runbook.isDagMember).toBe(true);
    expect(b.dag).toBe('DAG1');
    expect(b.ipAddresses).toEqual([]);
    expect(b.databases[0]?.copies).toEqual(['EX2010A (preference 1)', 'EX2010B (preference 2)']);
  });

  it('is pure: the same input gives the same view, and the generated time defaults to the harvest time', () => {
    expect(buildView(sampleSnapshot(), { supplement: null, drift: null })).toEqual(view);
    expect(view.cover.generatedAt).toBe('2026-11-20T08:30:00Z');
  });

  it('leaves every supplement item open without a supplement', () => {
    expect(view.checklist.filter((c) => c.done).map((c) => c.item)).toEqual([
      'Exchange install location', 'Storage groups, databases and their locations',
    ]);
  });
});

describe('servers with missing facts', () => {
  it('an unknown build gets no command but a line to write it on, and no invented values', () => {
    const snap = sampleSnapshot();
    const s = snap.servers.find((x) => x.name === 'EX2016')!;
    s.version = null;
    s.computer = null;
    s.installPath = null;
    const view = buildView(snap, { supplement: null, drift: null });
    const v = view.servers.find((x) => x.name === 'EX2016')!;
    expect(v.runbook.recoverCommand).toBeNull();
    expect(v.runbook.prerequisites).toEqual([]);
    expect(v.computerDn).toBeNull();
    const out = renderMarkdown(view);
    const rb = out.slice(out.indexOf('# Recovery runbook: EX2016'));
    expect(rb).toContain('Command: ________________');
    expect(rb).toContain('Reset the computer account** (do not delete it): ________________');
    expect(rb).toContain('Install the same operating system.** ________________');
  });
});

describe('Appendix B: raw attributes', () => {
  it('names each per-server object\'s server and spells attribute names as AD does', () => {
    const snap = sampleSnapshot();
    const vdir = snap.virtualDirectories[0]!;
    vdir.raw = { ...vdir.raw, msexchinternalhostname: ['https://x.test/owa'], somethingunknown: ['1'] };
    const view = buildView(snap, { supplement: null, drift: null, attributeSpelling });
    const server = /CN=Servers/.test(vdir.dn) ? /,CN=([^,]+),CN=Servers,/.exec(vdir.dn)![1] : null;
    const entry = view.raw.find((r) => r.dn === vdir.dn)!;
    expect(server).not.toBeNull();
    expect(entry.title).toBe(`Virtual directory ${vdir.name} on ${server}`);
    const names = entry.attributes.map((a) => a.name);
    expect(names).toContain('msExchInternalHostName'); // as in Microsoft's schema reference
    expect(names).toContain('somethingunknown'); // not asked for by the harvest: left as read
    expect(view.raw.find((r) => r.title.startsWith('Server '))!.title).not.toMatch(/ on /);
    // without the harvest's spelling the keys print as the snapshot stores them
    const unspelled = buildView(snap, { supplement: null, drift: null }).raw.find((r) => r.dn === vdir.dn)!;
    expect(unspelled.attributes.map((a) => a.name)).toContain('msexchinternalhostname');
  });
});
