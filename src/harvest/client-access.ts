/** Client access: virtual directories (URLs, authentication), the Autodiscover SCP, POP3 and IMAP4 settings. */
import type { Entry } from '../source/directory.js';
import type { VirtualDirectory } from '../snapshot/model.js';
import type { z } from 'zod';
import type { AutodiscoverScp, PopImapSettings } from '../snapshot/model.js';
import { all, classesOf, first, identity, int, nameOf } from './entries.js';
import { decodeVdirAuth } from './decode/auth.js';
import type { DnIndex } from '../dn.js';
import type { Warnings } from './warnings.js';

const VDIR_KINDS: ReadonlyArray<readonly [string, VirtualDirectory['kind']]> = [
  ['msexchowavirtualdirectory', 'owa'],
  ['msexchecpvirtualdirectory', 'ecp'],
  ['msexchwebservicesvirtualdirectory', 'ews'],
  ['msexchmobilevirtualdirectory', 'activesync'],
  ['msexchoabvirtualdirectory', 'oab'],
  ['msexchmapivirtualdirectory', 'mapi'],
  ['msexchpowershellvirtualdirectory', 'powershell'],
  ['msexchautodiscovervirtualdirectory', 'autodiscover'],
  ['msexchrpchttpvirtualdirectory', 'rpchttp'],
];

/** `owa (Default Web Site)` → `Default Web Site` (the IIS site; CSS-Exchange reads it the same way). */
export function websiteOf(cn: string): string | null {
  const m = /\(([^()]*)\)\s*$/.exec(cn);
  return m ? m[1]!.trim() : null;
}

function authNames(e: Entry, attribute: string, what: string, w: Warnings): string[] {
  const v = int(e, attribute);
  if (v === null) return [];
  const { names, unknown } = decodeVdirAuth(v);
  if (unknown !== 0) w.add('unknown-auth-bit', `${what}: ${attribute} ${v} has unknown bits ${unknown}`, e.dn);
  return names;
}

export function mapVirtualDirectory(e: Entry, servers: DnIndex<Entry>, w: Warnings): VirtualDirectory | null {
  const server = servers.ancestor(e.dn);
  if (!server) {
    w.add('orphan-object', `virtual directory ${e.dn} is not under a server that could be read`, e.dn);
    return null;
  }
  const classes = classesOf(e);
  const name = nameOf(e);
  return {
    ...identity(e),
    server: server.dn,
    kind: VDIR_KINDS.find(([c]) => classes.has(c))?.[1] ?? 'other',
    website: websiteOf(name),
    internalUrl: first(e, 'msExchInternalHostName'),
    externalUrl: first(e, 'msExchExternalHostName'),
    internalAuthentication: authNames(e, 'msExchInternalAuthenticationMethods', name, w),
    externalAuthentication: authNames(e, 'msExchExternalAuthenticationMethods', name, w),
    metabasePath: first(e, 'msExchMetabasePath'),
  };
}

/** Keyword that marks an Autodiscover URL SCP (Exchange ExchangeScpObjects). */
export const AUTODISCOVER_KEYWORD = '77378F46-2C66-4aa9-A6A6-3E7A48B19596';

export function isAutodiscoverScp(e: Entry): boolean {
  return (
    (first(e, 'serviceClassName') ?? '').toLowerCase() === 'ms-exchange-autodiscover-service' ||
    all(e, 'keywords').some((k) => k.toLowerCase() === AUTODISCOVER_KEYWORD.toLowerCase())
  );
}

export function mapAutodiscoverScp(e: Entry, servers: DnIndex<Entry>, w: Warnings): z.infer<typeof AutodiscoverScp> | null {
  const server = servers.ancestor(e.dn);
  if (!server) {
    w.add('orphan-object', `Autodiscover SCP ${e.dn} is not under a server that could be read`, e.dn);
    return null;
  }
  return {
    ...identity(e),
    server: server.dn,
    url: first(e, 'serviceBindingInformation'),
    siteScope: all(e, 'keywords')
      .filter((k) => /^site=/i.test(k))
      .map((k) => k.slice(5)),
  };
}

/**
 * POP3 / IMAP4 settings of a 2007+ server (CN=POP3 / CN=IMAP4,CN=Protocols,<server>).
 * Class and attribute names as Exchange's own code has them (decompiled Exchange Server:
 * Pop3AdConfiguration.MostDerivedClass "protocolCfgPOPServer", Imap4AdConfiguration
 * "protocolCfgIMAPServer", PopImapAdConfigurationSchema: X509CertificateName =
 * msExchPopImapX509CertificateName, UnencryptedOrTLSBindings = msExchServerBindings,
 * SSLBindings = msExchSecureBindings, Internal/ExternalConnectionSettings =
 * msExchPOPIMAPInternal/ExternalConnectionSettings as "host:port[:encryption]").
 * An empty certificate name (Exchange's default) is null: no name to cover.
 */
export function mapPopImapSettings(e: Entry, servers: DnIndex<Entry>, w: Warnings): PopImapSettings | null {
  const server = servers.ancestor(e.dn);
  if (!server) {
    w.add('orphan-object', `POP3/IMAP4 settings ${e.dn} are not under a server that could be read`, e.dn);
    return null;
  }
  return {
    ...identity(e),
    server: server.dn,
    protocol: classesOf(e).has('protocolcfgimapserver') ? 'IMAP4' : 'POP3',
    x509CertificateName: first(e, 'msExchPopImapX509CertificateName')?.trim() || null,
    unencryptedOrTlsBindings: [...all(e, 'msExchServerBindings')],
    sslBindings: [...all(e, 'msExchSecureBindings')],
    internalConnectionSettings: [...all(e, 'msExchPOPIMAPInternalConnectionSettings')],
    externalConnectionSettings: [...all(e, 'msExchPOPIMAPExternalConnectionSettings')],
  };
}
