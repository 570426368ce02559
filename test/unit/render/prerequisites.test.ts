/**
 * Prerequisite commands per Exchange version × Windows release × roles × installation option. The expected
 * commands are Microsoft's, quoted in fixtures/microsoft/prerequisites.md (not copied from src/).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dotNetFor, featureCommands, prerequisitesFor, type PrerequisiteInput } from '../../../src/render/view/prerequisites.js';
import { installOptionOf } from '../../../src/render/view/os.js';
import type { ExchangeVersion } from '../../../src/snapshot/model.js';

/** `## 2019 | 2019 | Mailbox | Server Core` → the lines of the code block under it */
function microsoft(heading: string): string[] {
  const text = readFileSync(new URL('../../../fixtures/microsoft/prerequisites.md', import.meta.url), 'utf8');
  const at = text.indexOf(`## ${heading}\n`);
  if (at < 0) throw new Error(`no quoted block "${heading}"`);
  const block = /```\n([\s\S]*?)\n```/.exec(text.slice(at))!;
  return block[1]!.split('\n');
}

const ver = (product: string, major: number, minor: number, build: number, release: string): ExchangeVersion =>
  ({ major, minor, build, revision: 0, product, release, label: `${product} ${release}` });
const E2019_CU15 = ver('Exchange Server 2019', 15, 2, 1748, 'CU15');
const E2019_CU12 = ver('Exchange Server 2019', 15, 2, 1118, 'CU12');
const E2019_CU10 = ver('Exchange Server 2019', 15, 2, 922, 'CU10');
const ESE = ver('Exchange Server SE', 15, 2, 2562, 'RTM');
const E2016_CU23 = ver('Exchange Server 2016', 15, 1, 2507, 'CU23');
const E2016_CU21 = ver('Exchange Server 2016', 15, 1, 2308, 'CU21');
const E2013_CU23 = ver('Exchange Server 2013', 15, 0, 1497, 'CU23');
const E2013_CU21 = ver('Exchange Server 2013', 15, 0, 1395, 'CU21');

const p = (i: Partial<PrerequisiteInput> & Pick<PrerequisiteInput, 'gen' | 'os'>) =>
  prerequisitesFor({ version: null, install: 'unknown', roles: ['Mailbox'], ...i });

/** the lines of the block labelled `# <label>:` */
const block = (commands: string[], label: string) => {
  const at = commands.indexOf(`# ${label}:`);
  expect(at).toBeGreaterThanOrEqual(0);
  const next = commands.findIndex((c, i) => i > at && c.startsWith('# '));
  return commands.slice(at + 1, next < 0 ? undefined : next);
};

describe('2019 and SE on Windows Server 2019/2022(/2025): Microsoft\'s lists, never AS-HTTP-Activation', () => {
  it.each([
    ['2019', '2019', E2019_CU10], ['2019', '2022', E2019_CU12], ['2019', '2025', E2019_CU15],
    ['SE', '2019', ESE], ['SE', '2022', ESE], ['SE', '2025', ESE],
  ] as const)('%s on WS%s, Server Core recorded: the Core list only', (gen, os, version) => {
    const r = p({ gen, os, version, install: 'core' });
    expect(r.commands).toEqual(microsoft('2019 | 2019 | Mailbox | Server Core'));
    expect(r.commands.join('\n')).not.toContain('AS-HTTP-Activation');
    expect(r.source).toContain('https://learn.microsoft.com/exchange/plan-and-deploy/prerequisites');
  });
  it.each([['2019', '2022', E2019_CU12], ['SE', '2022', ESE], ['SE', '2019', ESE]] as const)('%s on WS%s, AD cannot tell Core from Desktop: both lists, and it says so', (gen, os, version) => {
    const r = p({ gen, os, version });
    expect(block(r.commands, 'Desktop Experience')).toEqual(microsoft('2019 | 2019 | Mailbox | Desktop Experience'));
    expect(block(r.commands, 'Server Core')).toEqual(microsoft('2019 | 2019 | Mailbox | Server Core'));
    expect(r.commands.join('\n')).not.toContain('AS-HTTP-Activation');
    expect(r.notes[0]).toContain('AD does not record whether Windows was installed with the Desktop Experience or as Server Core');
  });
  it('Edge: AD LDS only', () => {
    expect(p({ gen: 'SE', os: '2022', version: ESE, roles: ['Edge'] }).commands).toEqual(microsoft('2019 | 2019 | Edge | any'));
  });
  it('downloads: .NET per HealthChecker, VC++ 2012 and 2013, UCMA from the media, URL Rewrite', () => {
    const notes = p({ gen: '2019', os: '2022', version: E2019_CU15 }).notes.join('\n');
    expect(notes).toContain('.NET Framework 4.8.1');
    expect(notes).toContain('Visual Studio 2012 and 2013');
    expect(notes).toContain('\\UCMARedist');
    expect(notes).toContain('IIS URL Rewrite Module');
    expect(p({ gen: '2019', os: '2019', version: E2019_CU10 }).notes.join('\n')).not.toContain('URL Rewrite');
    const edge = p({ gen: 'SE', os: '2022', version: ESE, roles: ['Edge'] }).notes.join('\n');
    expect(edge).toContain('Visual Studio 2012.');
    expect(edge).not.toContain('UCMA');
  });
  it('a Windows release the build does not support gets no command', () => {
    const r = p({ gen: '2019', os: '2025', version: E2019_CU12 });
    expect(r.commands).toEqual([]);
    expect(r.notes[0]).toContain('Microsoft lists no prerequisites');
    expect(p({ gen: '2019', os: '2016', version: E2019_CU15 }).commands).toEqual([]);
  });
});

describe('2016', () => {
  it('on Windows Server 2016', () => expect(p({ gen: '2016', os: '2016', version: E2016_CU23 }).commands).toEqual(microsoft('2016 | 2016 | Mailbox | Desktop Experience')));
  it.each(['2012', '2012 R2'] as const)('on Windows Server %s (the list with AS-HTTP-Activation)', (os) =>
    expect(p({ gen: '2016', os, version: E2016_CU23 }).commands).toEqual(microsoft('2016 | 2012 R2 | Mailbox | Desktop Experience')));
  it('CU22+ on 2012 R2 needs URL Rewrite and KB2999226; CU21 does not', () => {
    expect(p({ gen: '2016', os: '2012 R2', version: E2016_CU23 }).notes.join('\n')).toContain('KB2999226');
    expect(p({ gen: '2016', os: '2012 R2', version: E2016_CU21 }).notes.join('\n')).not.toMatch(/KB2999226|URL Rewrite/);
    expect(p({ gen: '2016', os: '2016', version: E2016_CU23 }).notes.join('\n')).not.toContain('KB2999226');
  });
  it('OS not recorded: both blocks, labelled', () => {
    const r = p({ gen: '2016', os: 'unknown', version: E2016_CU23 });
    expect(block(r.commands, 'Windows Server 2016')).toEqual(microsoft('2016 | 2016 | Mailbox | Desktop Experience'));
    expect(block(r.commands, 'Windows Server 2012 / 2012 R2')).toEqual(microsoft('2016 | 2012 R2 | Mailbox | Desktop Experience'));
  });
});

describe('2013', () => {
  it.each(['2012', '2012 R2'] as const)('Mailbox on Windows Server %s', (os) =>
    expect(p({ gen: '2013', os, version: E2013_CU23 }).commands).toEqual(microsoft('2013 | 2012 R2 | Mailbox, ClientAccess | Desktop Experience')));
  it('Mailbox on Windows Server 2008 R2: Import-Module ServerManager; Add-WindowsFeature, plus WMF 4.0', () => {
    const r = p({ gen: '2013', os: '2008 R2', version: E2013_CU23, roles: ['ClientAccess', 'Mailbox'] });
    expect(r.commands).toEqual(microsoft('2013 | 2008 R2 | Mailbox, ClientAccess | Desktop Experience'));
    expect(r.commands.join('\n')).not.toContain('Install-WindowsFeature');
    expect(r.notes.join('\n')).toContain('Windows Management Framework 4.0');
    expect(r.source).toContain('Exchange 2013 prerequisites');
  });
  it('Edge on 2008 R2 and on 2012 R2', () => {
    expect(p({ gen: '2013', os: '2008 R2', roles: ['Edge'] }).commands).toEqual(microsoft('2013 | 2008 R2 | Edge | Desktop Experience'));
    expect(p({ gen: '2013', os: '2012 R2', roles: ['Edge'] }).commands).toEqual(microsoft('2013 | 2012 R2 | Edge | Desktop Experience'));
  });
  it('.NET: CU21 4.7.2 (not HealthChecker\'s fall-through 4.8), CU23 4.8', () => {
    expect(dotNetFor('2013', E2013_CU21, '2012 R2')).toBe('4.7.2');
    expect(dotNetFor('2013', E2013_CU23, '2012 R2')).toBe('4.8');
  });
});

describe('command shape of the Windows release', () => {
  it('Windows Server 2008: ServerManagerCmd -i per feature', () => {
    const r = p({ gen: '2007', os: '2008', roles: ['ClientAccess', 'HubTransport', 'Mailbox'] });
    expect(r.commands).toContain('ServerManagerCmd -i PowerShell');
    expect(r.commands).toContain('ServerManagerCmd -i RPC-over-HTTP-proxy');
    expect(r.commands.every((c) => c.startsWith('ServerManagerCmd -i '))).toBe(true);
    const e2010 = p({ gen: '2010', os: '2008', roles: ['Mailbox'] });
    expect(e2010.commands.every((c) => c.startsWith('ServerManagerCmd -i '))).toBe(true);
    expect(e2010.commands).toContain('ServerManagerCmd -i RSAT-ADDS');
  });
  it('Windows Server 2008 R2: Import-Module ServerManager, then Add-WindowsFeature', () => {
    const cas = p({ gen: '2010', os: '2008 R2', roles: ['ClientAccess', 'Mailbox'] });
    expect(cas.commands[0]).toBe('Import-Module ServerManager');
    expect(cas.commands[1]).toMatch(/^Add-WindowsFeature NET-Framework, RSAT-ADDS, .*RPC-Over-HTTP-Proxy -Restart$/);
    expect(cas.commands.join('\n')).not.toContain('Install-WindowsFeature');
    const mbx = p({ gen: '2010', os: '2008 R2', roles: ['Mailbox'] });
    expect(mbx.commands[1]).not.toContain('RPC-Over-HTTP-Proxy');
    expect(mbx.notes.join(' ')).toContain('Filter Pack');
    expect(p({ gen: '2007', os: '2008 R2', roles: ['Mailbox'] }).commands[0]).toBe('Import-Module ServerManager');
  });
  it('Windows Server 2012 and later: Install-WindowsFeature; Windows Server 2003: none', () => {
    expect(featureCommands('2012', ['ADLDS'])).toEqual(['Install-WindowsFeature ADLDS']);
    expect(featureCommands('2003', ['ADLDS'])).toBeNull();
  });
  it('Exchange 2003 has no command, only the components to add', () => {
    const r = p({ gen: '2003', os: '2003', roles: [] });
    expect(r.commands).toEqual([]);
    expect(r.notes[0]).toContain('NNTP');
  });
  it('Exchange 2007 without a recorded OS labels the blocks and says what to do on 2003', () => {
    const r = p({ gen: '2007', os: 'unknown' });
    expect(r.commands[0]).toBe('# Windows Server 2008:');
    expect(r.notes[0]).toContain('not recorded');
  });
  it('Exchange 2010 on Windows Server 2012 is not a Microsoft combination: no command', () => {
    expect(p({ gen: '2010', os: '2012' }).commands).toEqual([]);
  });
});

describe('installation option from AD', () => {
  it.each([
    ['Windows Server 2019 Standard', 'unknown'],
    ['Windows Server 2022 Datacenter: Azure Edition Core', 'core'],
    [null, 'unknown'],
  ] as const)('%s → %s', (os, option) => expect(installOptionOf(os)).toBe(option));
});

describe('Exchange 2007 on Windows Server 2008 (bb691354(v=exchg.80), quoted in fixtures/microsoft/prerequisites.md)', () => {
  it('Edge: AD LDS, not ADAM', () => {
    const r = p({ gen: '2007', os: '2008', roles: ['Edge'] });
    expect(r.commands).toEqual(microsoft('2007 | 2008 | Edge | any'));
    expect(r.commands).toContain('ServerManagerCmd -i ADLDS');
    expect(r.commands.join('\n')).not.toContain('ADAM');
  });
  it('Client Access: the IIS components in Microsoft\'s order, RPC over HTTP proxy last', () => {
    expect(p({ gen: '2007', os: '2008', roles: ['ClientAccess'] }).commands).toEqual(microsoft('2007 | 2008 | ClientAccess | any'));
    // Hub + CAS + Mailbox on one server: the same procedure on that page
    expect(p({ gen: '2007', os: '2008', roles: ['ClientAccess', 'HubTransport', 'Mailbox'] }).commands).toEqual(microsoft('2007 | 2008 | ClientAccess | any'));
  });
  it('clustered mailbox server: Failover Clustering added; not for a plain Mailbox server', () => {
    const cms = p({ gen: '2007', os: '2008', roles: ['Mailbox'], clustered: true }).commands;
    expect(cms).toEqual(microsoft('2007 | 2008 | Mailbox, clustered | any'));
    expect(cms).toContain('ServerManagerCmd -i Failover-Clustering');
    expect(p({ gen: '2007', os: '2008', roles: ['Mailbox'] }).commands).not.toContain('ServerManagerCmd -i Failover-Clustering');
    // Exchange 2007 SP3 on 2008 R2: the same feature in Add-WindowsFeature (PowerShell is part of 2008 R2, see below)
    expect(p({ gen: '2007', os: '2008 R2', roles: ['Mailbox'], clustered: true }).commands[1]).toMatch(/^Add-WindowsFeature Web-Server, .*, Failover-Clustering$/);
  });
  it('Windows Server 2008 R2 (Exchange 2007 SP3): no PowerShell feature in Add-WindowsFeature, whose one unknown name fails the whole command', () => {
    // Windows PowerShell 2.0 is built into Windows Server 2008 R2; its feature list knows PowerShell-ISE, not PowerShell
    for (const roles of [['ClientAccess', 'HubTransport', 'Mailbox'], ['Mailbox'], ['HubTransport'], ['Edge']]) {
      const r = p({ gen: '2007', os: '2008 R2', roles });
      expect(r.commands[0]).toBe('Import-Module ServerManager');
      expect(r.commands[1]!.replace(/^Add-WindowsFeature /, '').split(', ')).not.toContain('PowerShell');
      expect(r.notes.join(' ')).toContain('Windows PowerShell 2.0 is part of the operating system');
      // the page quoted for Windows Server 2008 does not cover 2008 R2: the source says so
      expect(r.source).toContain('Windows Server 2008 R2');
      expect(r.source).not.toBe('Microsoft "How to Install Exchange 2007 SP1 and SP2 Prerequisites on Windows Server 2008 or Windows Vista", TechNet bb691354(v=exchg.80)');
    }
    // the Windows Server 2008 list keeps Microsoft's PowerShell line
    expect(p({ gen: '2007', os: '2008', roles: ['Mailbox'] }).commands[0]).toBe('ServerManagerCmd -i PowerShell');
    // Windows release not recorded: the 2008 block has it, the 2008 R2 block has not
    const u = p({ gen: '2007', os: 'unknown', roles: ['Mailbox'] }).commands;
    expect(block(u, 'Windows Server 2008')).toContain('ServerManagerCmd -i PowerShell');
    expect(block(u, 'Windows Server 2008 R2 (Exchange 2007 SP3 only)')[1]).toBe('Add-WindowsFeature Web-Server, Web-ISAPI-Ext, Web-Metabase, Web-Lgcy-Mgmt-Console, Web-Basic-Auth, Web-Windows-Auth');
  });
  it('Hub Transport only: PowerShell and the management tools\' IIS components', () => {
    expect(p({ gen: '2007', os: '2008', roles: ['HubTransport'] }).commands).toEqual(microsoft('2007 | 2008 | HubTransport | any'));
  });
});

describe('Exchange 2013 with the Windows release not recorded (an Edge never has it in AD)', () => {
  it.each([[['Edge']], [['Mailbox']]] as const)('%s: WMF 4.0 for Windows Server 2012 / 2008 R2 SP1', (roles) => {
    const notes = p({ gen: '2013', os: 'unknown', version: E2013_CU23, roles }).notes;
    expect(notes).toContain('Windows Server 2012 or 2008 R2 SP1: install Windows Management Framework 4.0 (included in Windows Server 2012 R2).');
  });
  it('not on a recorded Windows Server 2012 R2 (WMF 4.0 is included)', () => {
    expect(p({ gen: '2013', os: '2012 R2', version: E2013_CU23 }).notes.join('\n')).not.toContain('Windows Management Framework');
  });
});

describe('Exchange 2010 on Windows Server 2008 SP2 (Exchange 2010 Prerequisites)', () => {
  it('needs .NET Framework 3.5 SP1, Windows PowerShell 2.0 and WinRM 2.0, which Windows Server 2008 SP2 does not have', () => {
    const r = p({ gen: '2010', os: '2008', roles: ['HubTransport', 'Mailbox'] });
    const notes = r.notes.join(' ');
    expect(notes).toContain('.NET Framework 3.5 SP1');
    expect(notes).toContain('Windows PowerShell 2.0');
    expect(notes).toContain('WinRM 2.0');
    // Windows Server 2008 R2 has them: no such line there
    expect(p({ gen: '2010', os: '2008 R2', roles: ['Mailbox'] }).notes.join(' ')).not.toContain('WinRM 2.0');
  });
  it('Hub Transport + Client Access + Mailbox: Microsoft\'s answer file from the Scripts folder of the media', () => {
    const typical = p({ gen: '2010', os: '2008', roles: ['ClientAccess', 'HubTransport', 'Mailbox'] }).notes.join(' ');
    expect(typical).toContain('ServerManagerCmd -ip Exchange-Typical.xml -Restart');
    expect(p({ gen: '2010', os: '2008', roles: ['Mailbox'] }).notes.join(' ')).not.toContain('Exchange-Typical.xml');
  });
  it('names the page by the address Microsoft links it under', () => {
    expect(p({ gen: '2010', os: '2008 R2' }).source).toContain('https://learn.microsoft.com/previous-versions/office/exchange-server-2010/bb691354(v=exchg.141)');
  });
});

describe('.NET Framework 4.8.1 has no Windows Server 2019 package', () => {
  it('2019 CU14+ / SE with the Windows release not recorded: 4.8.1 on 2022/2025, 4.8 on 2019', () => {
    for (const version of [ESE, E2019_CU15]) {
      const gen = version === ESE ? 'SE' : '2019';
      const notes = p({ gen, os: 'unknown', version }).notes.join(' ');
      expect(notes).toContain('Install .NET Framework 4.8.1 on Windows Server 2022 or 2025, 4.8 on Windows Server 2019');
      expect(notes).not.toContain('Install .NET Framework 4.8.1 (');
    }
    expect(p({ gen: 'SE', os: '2019', version: ESE }).notes.join(' ')).toContain('Install .NET Framework 4.8 (');
    expect(p({ gen: 'SE', os: '2022', version: ESE }).notes.join(' ')).toContain('Install .NET Framework 4.8.1 (');
  });
});

describe('/InstallWindowsComponents ("Use unattended mode in Exchange Setup": available with /Mode:Install commands)', () => {
  it('a Mailbox server recovered with /Mode:RecoverServer is not told setup installs the features', () => {
    const notes = p({ gen: 'SE', os: '2022', version: ESE }).notes.join(' ');
    expect(notes).not.toContain('Setup can install these Windows components itself');
    expect(notes).toContain('/InstallWindowsComponents switch works with /Mode:Install only, not with /Mode:RecoverServer');
  });
  it('an Edge, installed new with /Mode:Install, may use it', () => {
    expect(p({ gen: '2019', os: '2019', version: E2019_CU15, roles: ['Edge'] }).notes.join(' ')).toContain('/InstallWindowsComponents on the /Mode:Install command of the Edge');
  });
});
