/**
 * Windows prerequisites per Exchange version, Windows release and roles
 * (runbook step 8). The feature lists are Microsoft's published ones:
 * - 2016/2019/SE: "Exchange Server prerequisites" (learn.microsoft.com/exchange/plan-and-deploy/prerequisites,
 *   source MicrosoftDocs/OfficeDocs-Exchange Exchange/ExchangeServer/plan-and-deploy/prerequisites.md).
 * - 2013: "Exchange 2013 prerequisites" (technet bb691354(v=exchg.150)), Mailbox / Mailbox+CAS list.
 * - 2010 on 2008 R2: "Exchange 2010 prerequisites" (technet bb691354(v=exchg.141)), SP1+ Add-WindowsFeature lists.
 * - 2007 on 2008: "How to install Exchange 2007 SP1/SP2 prerequisites on Windows Server 2008" (technet bb691354(EXCHG.80)).
 * Edge Transport (2013+) needs AD LDS only.
 */
import type { Generation } from './versions.js';
import type { WindowsRelease } from './os.js';

export type Prerequisites = { commands: string[]; notes: string[] };

const WEB_2016_PLUS = 'RPC-over-HTTP-proxy, RSAT-Clustering, RSAT-Clustering-CmdInterface, RSAT-Clustering-Mgmt, RSAT-Clustering-PowerShell, Web-Mgmt-Console, WAS-Process-Model, Web-Asp-Net45, Web-Basic-Auth, Web-Client-Auth, Web-Digest-Auth, Web-Dir-Browsing, Web-Dyn-Compression, Web-Http-Errors, Web-Http-Logging, Web-Http-Redirect, Web-Http-Tracing, Web-ISAPI-Ext, Web-ISAPI-Filter, Web-Lgcy-Mgmt-Console, Web-Metabase, Web-Mgmt-Console, Web-Mgmt-Service, Web-Net-Ext45, Web-Request-Monitor, Web-Server, Web-Stat-Compression, Web-Static-Content, Web-Windows-Auth, Web-WMI, Windows-Identity-Foundation, RSAT-ADDS';

const LIST_2019 = `Install-WindowsFeature AS-HTTP-Activation, Server-Media-Foundation, NET-Framework-45-Features, ${WEB_2016_PLUS}`;
const LIST_2016_ON_2016 = `Install-WindowsFeature NET-Framework-45-Features, Server-Media-Foundation, ${WEB_2016_PLUS}`;
const LIST_2016_ON_2012 = `Install-WindowsFeature AS-HTTP-Activation, Server-Media-Foundation, NET-Framework-45-Features, ${WEB_2016_PLUS}`;
const LIST_2013 = 'Install-WindowsFeature AS-HTTP-Activation, Desktop-Experience, NET-Framework-45-Features, RPC-over-HTTP-proxy, RSAT-Clustering, RSAT-Clustering-CmdInterface, RSAT-Clustering-Mgmt, RSAT-Clustering-PowerShell, Web-Mgmt-Console, WAS-Process-Model, Web-Asp-Net45, Web-Basic-Auth, Web-Client-Auth, Web-Digest-Auth, Web-Dir-Browsing, Web-Dyn-Compression, Web-Http-Errors, Web-Http-Logging, Web-Http-Redirect, Web-Http-Tracing, Web-ISAPI-Ext, Web-ISAPI-Filter, Web-Lgcy-Mgmt-Console, Web-Metabase, Web-Mgmt-Console, Web-Mgmt-Service, Web-Net-Ext45, Web-Request-Monitor, Web-Server, Web-Stat-Compression, Web-Static-Content, Web-Windows-Auth, Web-WMI, Windows-Identity-Foundation';

const BASE_2010 = 'NET-Framework,RSAT-ADDS,Web-Server,Web-Basic-Auth,Web-Windows-Auth,Web-Metabase,Web-Net-Ext,Web-Lgcy-Mgmt-Console,WAS-Process-Model,RSAT-Web-Server';
const CAS_2010 = 'Web-ISAPI-Ext,Web-Digest-Auth,Web-Dyn-Compression,NET-HTTP-Activation,Web-Asp-Net,Web-Client-Auth,Web-Dir-Browsing,Web-Http-Errors,Web-Http-Logging,Web-Http-Redirect,Web-Http-Tracing,Web-ISAPI-Filter,Web-Request-Monitor,Web-Static-Content,Web-WMI,RPC-Over-HTTP-Proxy';

const MBX_2007 = ['Web-Server', 'Web-ISAPI-Ext', 'Web-Metabase', 'Web-Lgcy-Mgmt-Console', 'Web-Basic-Auth', 'Web-Windows-Auth'];
const CAS_2007 = [...MBX_2007, 'Web-Digest-Auth', 'Web-Dyn-Compression', 'RPC-over-HTTP-proxy'];

export function prerequisitesFor(gen: Generation, os: WindowsRelease, roles: string[]): Prerequisites {
  const has = (r: string) => roles.includes(r);
  if (has('Edge') && ['2013', '2016', '2019', 'SE'].includes(gen)) {
    return { commands: ['Install-WindowsFeature ADLDS'], notes: ['Edge Transport: install the .NET Framework and Visual C++ runtime required by the recorded build.'] };
  }
  switch (gen) {
    case '2003':
      return {
        commands: [],
        notes: ['Windows Server 2003, Add/Remove Windows Components: Application Server with ASP.NET and IIS (World Wide Web, SMTP and NNTP services); no command line exists for this.'],
      };
    case '2007':
      if (os === '2003') {
        return {
          commands: [],
          notes: ['Windows Server 2003 (x64): install .NET Framework 2.0, MMC 3.0 and Windows PowerShell 1.0, and IIS (WWW service) for Client Access/Mailbox, from Add/Remove Windows Components.'],
        };
      }
      return {
        commands: ['ServerManagerCmd -i PowerShell', ...(has('ClientAccess') ? CAS_2007 : has('Mailbox') ? MBX_2007 : []).map((f) => `ServerManagerCmd -i ${f}`)],
        notes: [
          ...(os === 'unknown' ? ['The operating system is not recorded: these commands are for Windows Server 2008; on Windows Server 2003 add .NET Framework 2.0, MMC 3.0, PowerShell 1.0 and IIS instead.'] : []),
          'Also install the .NET Framework 2.0 SP1 or later if setup asks for it.',
        ],
      };
    case '2010':
      return {
        commands: [
          'Import-Module ServerManager',
          `Add-WindowsFeature ${BASE_2010}${has('ClientAccess') ? `,${CAS_2010}` : ''} -Restart`,
          ...(has('ClientAccess') ? ['Set-Service NetTcpPortSharing -StartupType Automatic'] : []),
        ],
        notes: has('Mailbox') || has('HubTransport') ? ['Install the Microsoft Office 2010 Filter Pack (Mailbox and Hub Transport roles).'] : [],
      };
    case '2013':
      return { commands: [LIST_2013], notes: ['Then install .NET Framework 4.5 or later, UCMA 4.0 Core Runtime 64-bit, and the Visual C++ runtimes the recorded CU requires.'] };
    case '2016':
      return {
        commands: [os === '2012' || os === '2012 R2' ? LIST_2016_ON_2012 : LIST_2016_ON_2016],
        notes: ['Then install the .NET Framework version the recorded CU requires, Visual C++ 2012 and 2013 runtimes, UCMA 4.0 Core Runtime 64-bit and the IIS URL Rewrite module (CU22 and later).'],
      };
    case '2019':
    case 'SE':
      return {
        commands: [LIST_2019],
        notes: ['Setup can add these itself with /InstallWindowsComponents. Then install .NET Framework 4.8 or later, Visual C++ 2012 and 2013 runtimes, UCMA 4.0 (from \\UCMARedist on the media) and the IIS URL Rewrite module.'],
      };
    default:
      return { commands: [], notes: ['Exchange version unknown: look up the prerequisites for the build printed above.'] };
  }
}
