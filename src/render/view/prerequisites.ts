/**
 * Windows prerequisites per Exchange version × Windows release × roles × installation option (runbook step 8),
 * as data: each row names the Microsoft page it is copied from. The command shape is the one the Windows
 * release has: Windows Server 2008 `ServerManagerCmd -i`, 2008 R2 `Import-Module ServerManager` +
 * `Add-WindowsFeature`, 2012 and later `Install-WindowsFeature`.
 *
 * The feature lists are verbatim copies of the pages (docs/recovery-procedures.md §3 has the table).
 */
import type { ExchangeVersion } from '../../snapshot/model.js';
import type { Generation } from './versions.js';
import type { InstallOption, WindowsRelease } from './os.js';

export type Prerequisites = {
  /** lines of one code block; PowerShell comment lines (#) label alternatives */
  commands: string[];
  notes: string[];
  /** the Microsoft page(s) the commands and notes follow */
  source: string;
};

export interface PrerequisiteInput {
  gen: Generation;
  version: ExchangeVersion | null;
  os: WindowsRelease;
  install: InstallOption;
  roles: readonly string[];
  /** an Exchange 2007 clustered mailbox server (its nodes need Failover Clustering) */
  clustered?: boolean;
}

const SRC_2016_2019 = 'Microsoft "Exchange Server prerequisites", https://learn.microsoft.com/exchange/plan-and-deploy/prerequisites';
const SRC_2013 = 'Microsoft "Exchange 2013 prerequisites", https://learn.microsoft.com/exchange/exchange-2013-prerequisites-exchange-2013-help';
/** The URL is the one Microsoft's own pages link as "Prerequisites for Exchange 2010" (OfficeDocs-Exchange migration pages). */
const SRC_2010 = 'Microsoft "Exchange 2010 Prerequisites", https://learn.microsoft.com/previous-versions/office/exchange-server-2010/bb691354(v=exchg.141)';
const SRC_2007 = 'Microsoft "How to Install Exchange 2007 SP1 and SP2 Prerequisites on Windows Server 2008 or Windows Vista", TechNet bb691354(v=exchg.80)';
/**
 * Exchange 2007 SP3 on Windows Server 2008 R2: Microsoft's SP3 page for that release was not available to check, so the
 * list is the Windows Server 2008 one in the Add-WindowsFeature shape, without the PowerShell feature: Windows
 * PowerShell 2.0 is part of Windows Server 2008 R2, whose feature list has only PowerShell-ISE, and one name
 * Add-WindowsFeature does not know fails the whole command.
 */
const SRC_2007_R2 = 'Exchange 2007 SP3 on Windows Server 2008 R2: the Windows Server 2008 list of TechNet bb691354(v=exchg.80) without the PowerShell feature (Windows PowerShell 2.0 is part of Windows Server 2008 R2); Microsoft\'s SP3 page for Windows Server 2008 R2 not checked';
const SRC_NET = 'CSS-Exchange HealthChecker (Invoke-AnalyzerOsInformation.ps1, the .NET Framework version per CU and Windows release)';

const split = (list: string) => list.split(', ');

/** "Exchange 2019 Mailbox servers on Windows Server 2019", Desktop Experience: no AS-HTTP-Activation (WS2012/2012 R2 only). */
const F2019_DESKTOP = split('Server-Media-Foundation, NET-Framework-45-Features, RPC-over-HTTP-proxy, RSAT-Clustering, RSAT-Clustering-CmdInterface, RSAT-Clustering-Mgmt, RSAT-Clustering-PowerShell, WAS-Process-Model, Web-Asp-Net45, Web-Basic-Auth, Web-Client-Auth, Web-Digest-Auth, Web-Dir-Browsing, Web-Dyn-Compression, Web-Http-Errors, Web-Http-Logging, Web-Http-Redirect, Web-Http-Tracing, Web-ISAPI-Ext, Web-ISAPI-Filter, Web-Lgcy-Mgmt-Console, Web-Metabase, Web-Mgmt-Console, Web-Mgmt-Service, Web-Net-Ext45, Web-Request-Monitor, Web-Server, Web-Stat-Compression, Web-Static-Content, Web-Windows-Auth, Web-WMI, Windows-Identity-Foundation, RSAT-ADDS');
/** Same section, Server Core: without the consoles and Windows-Identity-Foundation. */
const F2019_CORE = split('Server-Media-Foundation, NET-Framework-45-Features, RPC-over-HTTP-proxy, RSAT-Clustering, RSAT-Clustering-CmdInterface, RSAT-Clustering-PowerShell, WAS-Process-Model, Web-Asp-Net45, Web-Basic-Auth, Web-Client-Auth, Web-Digest-Auth, Web-Dir-Browsing, Web-Dyn-Compression, Web-Http-Errors, Web-Http-Logging, Web-Http-Redirect, Web-Http-Tracing, Web-ISAPI-Ext, Web-ISAPI-Filter, Web-Metabase, Web-Mgmt-Service, Web-Net-Ext45, Web-Request-Monitor, Web-Server, Web-Stat-Compression, Web-Static-Content, Web-Windows-Auth, Web-WMI, RSAT-ADDS');
/** "Exchange 2016 Mailbox servers on Windows Server 2016". */
const F2016_WS2016 = split('NET-Framework-45-Features, Server-Media-Foundation, RPC-over-HTTP-proxy, RSAT-Clustering, RSAT-Clustering-CmdInterface, RSAT-Clustering-Mgmt, RSAT-Clustering-PowerShell, WAS-Process-Model, Web-Asp-Net45, Web-Basic-Auth, Web-Client-Auth, Web-Digest-Auth, Web-Dir-Browsing, Web-Dyn-Compression, Web-Http-Errors, Web-Http-Logging, Web-Http-Redirect, Web-Http-Tracing, Web-ISAPI-Ext, Web-ISAPI-Filter, Web-Lgcy-Mgmt-Console, Web-Metabase, Web-Mgmt-Console, Web-Mgmt-Service, Web-Net-Ext45, Web-Request-Monitor, Web-Server, Web-Stat-Compression, Web-Static-Content, Web-Windows-Auth, Web-WMI, Windows-Identity-Foundation, RSAT-ADDS');
/** "Exchange 2016 Mailbox servers on Windows Server 2012 or Windows Server 2012 R2". */
const F2016_WS2012 = split('AS-HTTP-Activation, Server-Media-Foundation, NET-Framework-45-Features, RPC-over-HTTP-proxy, RSAT-Clustering, RSAT-Clustering-CmdInterface, RSAT-Clustering-Mgmt, RSAT-Clustering-PowerShell, WAS-Process-Model, Web-Asp-Net45, Web-Basic-Auth, Web-Client-Auth, Web-Digest-Auth, Web-Dir-Browsing, Web-Dyn-Compression, Web-Http-Errors, Web-Http-Logging, Web-Http-Redirect, Web-Http-Tracing, Web-ISAPI-Ext, Web-ISAPI-Filter, Web-Lgcy-Mgmt-Console, Web-Metabase, Web-Mgmt-Console, Web-Mgmt-Service, Web-Net-Ext45, Web-Request-Monitor, Web-Server, Web-Stat-Compression, Web-Static-Content, Web-Windows-Auth, Web-WMI, Windows-Identity-Foundation, RSAT-ADDS');
/** Exchange 2013 "Windows Server 2012 R2 and Windows Server 2012 prerequisites", Mailbox or Client Access server roles. */
const F2013_WS2012 = split('AS-HTTP-Activation, Desktop-Experience, NET-Framework-45-Features, RPC-over-HTTP-proxy, RSAT-Clustering, RSAT-Clustering-CmdInterface, RSAT-Clustering-Mgmt, RSAT-Clustering-PowerShell, Web-Mgmt-Console, WAS-Process-Model, Web-Asp-Net45, Web-Basic-Auth, Web-Client-Auth, Web-Digest-Auth, Web-Dir-Browsing, Web-Dyn-Compression, Web-Http-Errors, Web-Http-Logging, Web-Http-Redirect, Web-Http-Tracing, Web-ISAPI-Ext, Web-ISAPI-Filter, Web-Lgcy-Mgmt-Console, Web-Metabase, Web-Mgmt-Console, Web-Mgmt-Service, Web-Net-Ext45, Web-Request-Monitor, Web-Server, Web-Stat-Compression, Web-Static-Content, Web-Windows-Auth, Web-WMI, Windows-Identity-Foundation, RSAT-ADDS');
/** Exchange 2013 "Windows Server 2008 R2 SP1 prerequisites", Mailbox or Client Access server roles. */
const F2013_WS2008R2 = split('Desktop-Experience, NET-Framework, NET-HTTP-Activation, RPC-over-HTTP-proxy, RSAT-Clustering, RSAT-Web-Server, WAS-Process-Model, Web-Asp-Net, Web-Basic-Auth, Web-Client-Auth, Web-Digest-Auth, Web-Dir-Browsing, Web-Dyn-Compression, Web-Http-Errors, Web-Http-Logging, Web-Http-Redirect, Web-Http-Tracing, Web-ISAPI-Ext, Web-ISAPI-Filter, Web-Lgcy-Mgmt-Console, Web-Metabase, Web-Mgmt-Console, Web-Mgmt-Service, Web-Net-Ext, Web-Request-Monitor, Web-Server, Web-Stat-Compression, Web-Static-Content, Web-Windows-Auth, Web-WMI, RSAT-ADDS');
/** Exchange 2010 SP1+ on 2008 R2: Hub Transport / Mailbox base list; Client Access adds the second; UM adds Desktop-Experience; Edge: NET-Framework, RSAT-ADDS, ADLDS. */
const F2010_BASE = split('NET-Framework, RSAT-ADDS, Web-Server, Web-Basic-Auth, Web-Windows-Auth, Web-Metabase, Web-Net-Ext, Web-Lgcy-Mgmt-Console, WAS-Process-Model, RSAT-Web-Server');
const F2010_CAS = split('Web-ISAPI-Ext, Web-Digest-Auth, Web-Dyn-Compression, NET-HTTP-Activation, Web-Asp-Net, Web-Client-Auth, Web-Dir-Browsing, Web-Http-Errors, Web-Http-Logging, Web-Http-Redirect, Web-Http-Tracing, Web-ISAPI-Filter, Web-Request-Monitor, Web-Static-Content, Web-WMI, RPC-Over-HTTP-Proxy');
const F2010_EDGE = split('NET-Framework, RSAT-ADDS, ADLDS');
/**
 * Exchange 2007 on Windows Server 2008, in the order of TechNet bb691354(v=exchg.80) "How to Install Exchange 2007
 * SP1 Prerequisites on Windows Server 2008 or Windows Vista" ("in the order in which they are listed").
 */
const F2007_MBX = ['PowerShell', 'Web-Server', 'Web-ISAPI-Ext', 'Web-Metabase', 'Web-Lgcy-Mgmt-Console', 'Web-Basic-Auth', 'Web-Windows-Auth'];
/** Same page: "If the Mailbox server will be clustered, you must also install ... ServerManagerCmd -i Failover-Clustering". */
const F2007_CMS = [...F2007_MBX, 'Failover-Clustering'];
/** Same page, Client Access (and Hub + CAS + Mailbox); RPC-over-HTTP-proxy last: "If the server will support Outlook Anywhere clients". */
const F2007_CAS = ['PowerShell', 'Web-Server', 'Web-ISAPI-Ext', 'Web-Metabase', 'Web-Lgcy-Mgmt-Console', 'Web-Basic-Auth', 'Web-Digest-Auth', 'Web-Windows-Auth', 'Web-Dyn-Compression', 'RPC-over-HTTP-proxy'];
/** Same page: "on a server that has only the Hub Transport server role installed, you must also install ... Web-Metabase, Web-Lgcy-Mgmt-Console" (management tools). */
const F2007_HUB = ['PowerShell', 'Web-Metabase', 'Web-Lgcy-Mgmt-Console'];
/** Same page: "Install Active Directory Lightweight Directory Services (AD LDS), which was previously known as ... ADAM ... ServerManagerCmd -i ADLDS". */
const F2007_EDGE = ['PowerShell', 'ADLDS'];

/** The command shape of the Windows release (null: the release has no command-line installer we print). */
export function featureCommands(os: WindowsRelease, features: readonly string[], restart = false): string[] | null {
  if (features.length === 0) return [];
  switch (os) {
    case '2008':
      // ServerManagerCmd -i takes one feature name at a time
      return features.map((f) => `ServerManagerCmd -i ${f}`);
    case '2008 R2':
      return ['Import-Module ServerManager', `Add-WindowsFeature ${features.join(', ')}${restart ? ' -Restart' : ''}`];
    case '2012': case '2012 R2': case '2016': case '2019': case '2022': case '2025':
      return [`Install-WindowsFeature ${features.join(', ')}${restart ? ' -Restart' : ''}`];
    default:
      return null;
  }
}

const isMailboxish = (roles: readonly string[]) => roles.some((r) => r !== 'Edge');
const isEdgeOnly = (roles: readonly string[]) => roles.length > 0 && roles.every((r) => r === 'Edge');

/** A line per alternative when the Windows release is not recorded: the admin runs the block of the release installed. */
function alternatives(list: ReadonlyArray<readonly [string, WindowsRelease, readonly string[]]>): string[] {
  return list.flatMap(([label, os, features]) => [`# ${label}:`, ...(featureCommands(os, features) ?? [])]);
}

function buildAtLeast(v: ExchangeVersion | null, build: number): boolean {
  return v !== null && v.build >= build;
}

/**
 * .NET Framework version CSS-Exchange HealthChecker recommends for the build and Windows release
 * (Invoke-AnalyzerOsInformation.ps1): 2019 CU14+ and SE take 4.8.1 except on Windows Server 2019.
 */
export function dotNetFor(gen: Generation, v: ExchangeVersion | null, os: WindowsRelease): string | null {
  if (!v) return null;
  const b = v.build;
  if (gen === '2013') {
    if (b < 847) return '4.5';
    if (b < 1210) return '4.5.2';
    if (b < 1263) return '4.6.1';
    if (b < 1365) return '4.6.2';
    if (b < 1395) return '4.7.1';
    // HealthChecker's test for CU21–CU22 repeats the CU20 one and so falls through to 4.8, which those CUs do
    // not support; the "Exchange 2013 prerequisites" page: CU23 requires 4.7.2 (and supports 4.8)
    if (b < 1497) return '4.7.2';
    return '4.8';
  }
  if (gen === '2016') {
    if (b < 466) return '4.5.2';
    if (b < 544 || (b < 669 && os !== '2016')) return '4.6.1';
    if (b < 1415) return '4.6.2';
    if (b < 1591) return '4.7.1';
    if (b < 1779) return '4.7.2';
    return '4.8';
  }
  if (gen === '2019') {
    if (b < 397) return '4.7.2';
    if (b >= 1544 && os !== '2019') return '4.8.1';
    return '4.8';
  }
  if (gen === 'SE') return os === '2019' ? '4.8' : '4.8.1';
  return null;
}

function downloads(i: PrerequisiteInput): string[] {
  const { gen, version: v, os, roles } = i;
  const notes: string[] = [];
  const net = dotNetFor(gen, v, os);
  const mailbox = isMailboxish(roles);
  if (net === '4.8.1' && os === 'unknown') {
    // .NET Framework 4.8.1 has no Windows Server 2019 package: with the release not recorded, both are printed
    notes.push('Install .NET Framework 4.8.1 on Windows Server 2022 or 2025, 4.8 on Windows Server 2019 (the versions HealthChecker recommends for this build; the Windows release is not recorded).');
  } else if (net) notes.push(`Install .NET Framework ${net} (the version HealthChecker recommends for this build on this Windows release).`);
  if (['2013', '2016', '2019', 'SE'].includes(gen)) {
    notes.push(mailbox
      ? 'Install the Visual C++ Redistributable Packages for Visual Studio 2012 and 2013.'
      : 'Install the Visual C++ Redistributable Package for Visual Studio 2012.');
    if (mailbox) {
      notes.push(gen === '2019' || gen === 'SE'
        ? 'Install Unified Communications Managed API 4.0 from the \\UCMARedist folder of the Exchange media (Server Core must use that package).'
        : 'Install Microsoft Unified Communications Managed API 4.0, Core Runtime 64-bit.');
      // the Emergency Mitigation service of 2016 CU22 / 2019 CU11 and later needs the IIS URL Rewrite module
      if (gen === 'SE' || (gen === '2019' && buildAtLeast(v, 986)) || (gen === '2016' && buildAtLeast(v, 2375))) {
        notes.push('Install the IIS URL Rewrite Module (required from 2016 CU22 / 2019 CU11 on).');
        if (os === '2012 R2') notes.push('Windows Server 2012 R2: install the Universal C Runtime update KB2999226 first.');
      }
    }
  }
  // "Exchange 2013 prerequisites" (Mailbox/CAS and Edge sections for WS2012 and 2008 R2 SP1): "Windows Management
  // Framework 4.0 (included with Windows Server 2012 R2)"; an Edge never has its Windows release in AD
  if (gen === '2013' && (os === '2008 R2' || os === '2012')) notes.push('Install Windows Management Framework 4.0.');
  if (gen === '2013' && os === 'unknown') notes.push('Windows Server 2012 or 2008 R2 SP1: install Windows Management Framework 4.0 (included in Windows Server 2012 R2).');
  if (gen === '2013' && os === '2008 R2' && mailbox) {
    notes.push('Install KB974405 (Windows Identity Foundation), KB2619234 (RPC over HTTP association cookie) and KB2533623 (insecure library loading).');
  }
  if (gen === '2016' && os === '2016' && mailbox) notes.push('Windows Server 2016 at build 14393.576 or earlier: install KB3206632 (setup checks for it).');
  if (gen === '2010' && (os === '2008' || os === 'unknown')) {
    // Windows Server 2008 SP2 ships Windows PowerShell 1.0 and WinRM 1.1 and .NET 3.0; Exchange 2010 needs PowerShell 2.0,
    // WinRM 2.0 and .NET Framework 3.5 SP1 (Windows Server 2008 R2 has all three built in or as the NET-Framework feature)
    notes.push(`${os === 'unknown' ? 'Windows Server 2008 SP2 only: i' : 'I'}nstall .NET Framework 3.5 SP1 and the Windows Management Framework with Windows PowerShell 2.0 and WinRM 2.0 (Windows Server 2008 SP2 has neither).`);
    const typical = ['ClientAccess', 'HubTransport', 'Mailbox'].every((r) => roles.includes(r)) && !roles.includes('UnifiedMessaging');
    if (typical) notes.push(`${os === 'unknown' ? 'Windows Server 2008 SP2: m' : 'M'}icrosoft's route installs the same features with the answer file on the Exchange 2010 media: in its Scripts folder, ServerManagerCmd -ip Exchange-Typical.xml -Restart.`);
  }
  if (gen === '2010') {
    if (roles.includes('ClientAccess')) notes.push('Client Access: set the Net.Tcp Port Sharing service to start automatically (Set-Service NetTcpPortSharing -StartupType Automatic).');
    if (roles.includes('Mailbox') || roles.includes('HubTransport')) notes.push('Install the Microsoft Office 2010 Filter Pack (Mailbox and Hub Transport roles).');
  }
  return notes;
}

export function prerequisitesFor(i: PrerequisiteInput): Prerequisites {
  const { gen, os, install, roles } = i;
  const edge = isEdgeOnly(roles);
  const unsupported = (what: string, source: string): Prerequisites =>
    ({ commands: [], notes: [`${what}: Microsoft lists no prerequisites for this combination. Check the Windows release recorded above.`], source });
  const osUnknown = 'The Windows release is not recorded in AD: run the block for the release you install.';

  switch (gen) {
    case '2003':
      return {
        commands: [],
        notes: ['Windows Server 2003, Add/Remove Windows Components: Application Server with ASP.NET and IIS (World Wide Web, SMTP and NNTP services); no command line exists for this.'],
        source: 'Microsoft "Exchange Server 2003 Deployment Guide"',
      };
    case '2007': {
      if (os === '2003') {
        return {
          commands: [],
          notes: ['Windows Server 2003 (x64): install .NET Framework 2.0, MMC 3.0 and Windows PowerShell 1.0, and IIS (WWW service) for Client Access/Mailbox, from Add/Remove Windows Components.'],
          source: 'Microsoft "How to Install Exchange 2007 Prerequisites on Windows Server 2003", TechNet aa998623(v=exchg.80)',
        };
      }
      const features = edge ? F2007_EDGE : roles.includes('ClientAccess') ? F2007_CAS
        : roles.includes('Mailbox') ? (i.clustered ? F2007_CMS : F2007_MBX) : F2007_HUB;
      const r2Features = features.filter((f) => f !== 'PowerShell');
      const commands = os === '2008' ? featureCommands(os, features)!
        : os === '2008 R2' ? featureCommands(os, r2Features)!
        : alternatives([['Windows Server 2008', '2008', features], ['Windows Server 2008 R2 (Exchange 2007 SP3 only)', '2008 R2', r2Features]]);
      const r2Note = 'Windows Server 2008 R2: Windows PowerShell 2.0 is part of the operating system (no feature to add); .NET Framework 2.0 SP1 comes with the .NET Framework 3.5.1 feature (Add-WindowsFeature NET-Framework-Core) if setup asks for it.';
      return {
        commands,
        notes: [
          ...(os === 'unknown' ? ['The operating system is not recorded: on Windows Server 2003 add .NET Framework 2.0, MMC 3.0, PowerShell 1.0 and IIS instead.'] : []),
          ...(os === '2008 R2' || os === 'unknown' ? [r2Note] : []),
          ...(os !== '2008 R2' ? ['Also install the .NET Framework 2.0 SP1 or later if setup asks for it.'] : []),
        ],
        source: os === '2008 R2' ? SRC_2007_R2 : os === 'unknown' ? `${SRC_2007}; ${SRC_2007_R2}` : SRC_2007,
      };
    }
    case '2010': {
      const features = edge ? F2010_EDGE : [
        ...F2010_BASE,
        ...(roles.includes('ClientAccess') ? F2010_CAS : []),
        ...(roles.includes('UnifiedMessaging') ? ['Desktop-Experience'] : []),
      ];
      if (os !== '2008' && os !== '2008 R2' && os !== 'unknown') return unsupported(`Exchange 2010 on Windows Server ${os}`, SRC_2010);
      const commands = os === 'unknown'
        ? alternatives([['Windows Server 2008 R2', '2008 R2', features], ['Windows Server 2008 SP2', '2008', features]])
        : featureCommands(os, features, os === '2008 R2')!;
      return { commands, notes: [...(os === 'unknown' ? [osUnknown] : []), ...downloads(i)], source: SRC_2010 };
    }
    case '2013': {
      if (edge) {
        const commands = os === '2008 R2' ? featureCommands(os, ['NET-Framework', 'ADLDS'])!
          : os === '2012' || os === '2012 R2' ? featureCommands(os, ['ADLDS'])!
          : alternatives([['Windows Server 2012 / 2012 R2', '2012 R2', ['ADLDS']], ['Windows Server 2008 R2 SP1', '2008 R2', ['NET-Framework', 'ADLDS']]]);
        return { commands, notes: downloads(i), source: SRC_2013 };
      }
      if (os === '2008 R2' || os === '2012' || os === '2012 R2') {
        return { commands: featureCommands(os, os === '2008 R2' ? F2013_WS2008R2 : F2013_WS2012)!, notes: downloads(i), source: SRC_2013 };
      }
      if (os !== 'unknown') return unsupported(`Exchange 2013 on Windows Server ${os}`, SRC_2013);
      return {
        commands: alternatives([['Windows Server 2012 / 2012 R2', '2012 R2', F2013_WS2012], ['Windows Server 2008 R2 SP1', '2008 R2', F2013_WS2008R2]]),
        notes: [osUnknown, ...downloads(i)],
        source: SRC_2013,
      };
    }
    case '2016': {
      if (edge) {
        if (os === '2012' || os === '2012 R2' || os === '2016' || os === 'unknown') {
          return { commands: ['Install-WindowsFeature ADLDS'], notes: downloads(i), source: SRC_2016_2019 };
        }
        return unsupported(`Exchange 2016 on Windows Server ${os}`, SRC_2016_2019);
      }
      if (os === '2016') return { commands: featureCommands(os, F2016_WS2016)!, notes: downloads(i), source: `${SRC_2016_2019}; ${SRC_NET}` };
      if (os === '2012' || os === '2012 R2') return { commands: featureCommands(os, F2016_WS2012)!, notes: downloads(i), source: `${SRC_2016_2019}; ${SRC_NET}` };
      if (os !== 'unknown') return unsupported(`Exchange 2016 on Windows Server ${os}`, SRC_2016_2019);
      return {
        commands: alternatives([['Windows Server 2016', '2016', F2016_WS2016], ['Windows Server 2012 / 2012 R2', '2012 R2', F2016_WS2012]]),
        notes: [osUnknown, ...downloads(i)],
        source: `${SRC_2016_2019}; ${SRC_NET}`,
      };
    }
    case '2019':
    case 'SE': {
      const supported: WindowsRelease[] = gen === 'SE' || buildAtLeast(i.version, 1748) ? ['2019', '2022', '2025'] : buildAtLeast(i.version, 1118) ? ['2019', '2022'] : ['2019'];
      if (os !== 'unknown' && !supported.includes(os)) {
        return unsupported(`${gen === 'SE' ? 'Exchange Server SE' : 'Exchange 2019'} at this build on Windows Server ${os}`, SRC_2016_2019);
      }
      // "Use unattended mode in Exchange Setup": /InstallWindowsComponents is "Available with `/Mode:Install` commands"
      // only, so it can serve the Edge's new installation but not a Mailbox server's /Mode:RecoverServer
      const notes = [
        edge
          ? 'Setup can install these Windows components itself: /InstallWindowsComponents on the /Mode:Install command of the Edge.'
          : 'Install them with the command above: Setup\'s /InstallWindowsComponents switch works with /Mode:Install only, not with /Mode:RecoverServer.',
        ...(os === '2025' ? ['Windows Server 2025: the list is the one Microsoft prints for Windows Server 2019 and 2022.'] : []),
        ...downloads(i),
      ];
      if (edge) return { commands: ['Install-WindowsFeature ADLDS'], notes, source: `${SRC_2016_2019}; ${SRC_NET}` };
      const commands = install === 'core' ? featureCommands('2019', F2019_CORE)!
        : install === 'desktop' ? featureCommands('2019', F2019_DESKTOP)!
        : alternatives([['Desktop Experience', '2019', F2019_DESKTOP], ['Server Core', '2019', F2019_CORE]]);
      if (install === 'unknown') notes.unshift('AD does not record whether Windows was installed with the Desktop Experience or as Server Core: run the block of the installation you make (the same as the failed server).');
      return { commands, notes, source: `${SRC_2016_2019}; ${SRC_NET}` };
    }
    default:
      return { commands: [], notes: ['Exchange version unknown: look up the prerequisites for the build printed above.'], source: SRC_2016_2019 };
  }
}
