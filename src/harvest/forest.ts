/** Organization and forest facts: preparation levels, functional levels, domains. */
import type { Entry, RootDse } from '../source/directory.js';
import type { z } from 'zod';
import type { AdminGroup, AuthCertificate, CmdletExtensionAgent, Domain, Forest, Organization } from '../snapshot/model.js';
import { all, first, identity, int, nameOf } from './entries.js';
import { functionalLevelName, mesoDn, mesoRelease, orgRelease, PREPARATION_LEVELS, schemaRelease, type PreparationLevel } from '../exchange/schema-versions.js';
import { isUnder as isUnderDn, parseDn, sameDn } from '../dn.js';
import type { Warnings } from './warnings.js';

/**
 * Cmdlet extension agents (msExchCmdletExtensionAgent): Enabled is bit 1 and
 * IsSystem bit 16 of msExchCmdletExtensionFlags (decompiled Exchange 2013,
 * CmdletExtensionAgentSchema.cs). "If you previously enabled the Scripting
 * Agent in your Exchange organization, the recovery process might fail"
 * (Microsoft, Recover Exchange servers).
 */
export function mapCmdletExtensionAgent(e: Entry): z.infer<typeof CmdletExtensionAgent> {
  const flags = int(e, 'msExchCmdletExtensionFlags') ?? 0;
  return { dn: e.dn, name: nameOf(e), enabled: (flags & 1) !== 0, isSystem: (flags & 16) !== 0 };
}

/**
 * The Auth Configuration's certificates. msExchAuthCertificateThumbprint is
 * multi-valued, each value tagged with its slot: "0:<thumbprint>" current,
 * "1:" previous, "2:" next; a single untagged value is the current one
 * (Exchange's AuthConfigSchema.MultiValuedStringKeyGetter, offsets 0-2).
 */
export function mapAuthConfig(e: Entry | undefined): AuthCertificate | null {
  if (!e) return null;
  const values = all(e, 'msExchAuthCertificateThumbprint');
  const slot = (n: number): string | null => {
    const tagged = values.find((v) => v.startsWith(`${n}:`));
    if (tagged !== undefined) return tagged.length > 2 ? tagged.slice(2) : null;
    return n === 0 && values.length === 1 && !/^\d:/.test(values[0]!) ? values[0]! : null;
  };
  return { current: slot(0), previous: slot(1), next: slot(2) };
}

/** The organization object (its admin groups are a collection of their own: `mapAdminGroup`). */
export function mapOrganization(org: Entry, agents: readonly Entry[], authConfig: Entry | undefined, w: Warnings): Omit<z.infer<typeof Organization>, 'adminGroups'> {
  const objectVersion = int(org, 'objectVersion');
  const objectVersionRelease = orgRelease(objectVersion);
  if (objectVersion !== null && objectVersionRelease === null) {
    w.add('unknown-schema-version', `organization objectVersion ${objectVersion} is not in the table of known releases`, org.dn);
  }
  const cmdletExtensionAgents = agents.map(mapCmdletExtensionAgent);
  for (const a of cmdletExtensionAgents) {
    if (a.enabled && a.name.toLowerCase() === 'scripting agent') {
      w.add('scripting-agent-enabled', `the Scripting Agent is enabled: RecoverServer can fail; disable it (Disable-CmdletExtensionAgent "Scripting Agent") before setup and enable it again afterwards`, a.dn);
    }
  }
  return { ...identity(org), objectVersion, objectVersionRelease, cmdletExtensionAgents, authCertificate: mapAuthConfig(authConfig) };
}

export function mapAdminGroup(e: Entry): z.infer<typeof AdminGroup> {
  return identity(e);
}

/** DC=contoso,DC=test → contoso.test */
export function dnsNameOfDomain(dn: string): string {
  return parseDn(dn)
    .flatMap((r) => r.avas)
    .filter((a) => a.type.toLowerCase() === 'dc')
    .map((a) => a.value)
    .join('.');
}

/** crossRef systemFlags: FLAG_CR_NTDS_NC (1) | FLAG_CR_NTDS_DOMAIN (2) = a domain partition. */
const FLAG_CR_NTDS_DOMAIN = 2;

export function isDomainCrossRef(r: Entry): boolean {
  return ((int(r, 'systemFlags') ?? 0) & FLAG_CR_NTDS_DOMAIN) !== 0 && first(r, 'nCName') !== null;
}

export interface ForestInputs {
  rootDse: RootDse;
  schemaVersion: Entry | undefined;
  crossRefContainer: Entry | undefined;
  crossRefs: readonly Entry[];
  domainHead: Entry | undefined;
  /** CN=Microsoft Exchange System Objects of each domain read (default domain and the other domains' searches) */
  mesos: readonly Entry[];
}

/** The forest object (its domains and DCs are collections of their own: `mapDomains`, domain-controllers.ts). */
export function mapForest(x: ForestInputs, w: Warnings): Omit<z.infer<typeof Forest>, 'domains' | 'domainControllers'> {
  const exchangeSchemaVersion = x.schemaVersion ? int(x.schemaVersion, 'rangeUpper') : null;
  const exchangeSchemaRelease = schemaRelease(exchangeSchemaVersion);
  if (exchangeSchemaVersion !== null && exchangeSchemaRelease === null) {
    w.add('unknown-schema-version', `Exchange schema version (rangeUpper) ${exchangeSchemaVersion} is not in the table of known releases`, x.schemaVersion?.dn ?? null);
  }
  const forestLevel = x.crossRefContainer ? int(x.crossRefContainer, 'msDS-Behavior-Version') : null;
  return {
    rootDomain: x.rootDse.rootDomainNamingContext,
    functionalLevel: forestLevel,
    functionalLevelName: functionalLevelName(forestLevel),
    exchangeSchemaVersion,
    exchangeSchemaRelease,
  };
}

/** The domains of the forest (CN=Partitions) with their functional level and MESO objectVersion. */
export function mapDomains(x: ForestInputs, w: Warnings): Array<z.infer<typeof Domain>> {
  const seen = new Set<string>();
  for (const meso of x.mesos) {
    if (seen.has(meso.dn.toLowerCase())) continue;
    seen.add(meso.dn.toLowerCase());
    const mesoVersion = int(meso, 'objectVersion');
    if (mesoVersion !== null && mesoRelease(mesoVersion) === null) {
      w.add('unknown-schema-version', `Microsoft Exchange System Objects objectVersion ${mesoVersion} is not in the table of known releases`, meso.dn);
    }
  }

  const domainRefs = x.crossRefs.filter((r) => isDomainCrossRef(r));
  const domains: Array<z.infer<typeof Domain>> = domainRefs.map((r) => domainOf(first(r, 'nCName')!, first(r, 'dnsRoot'), int(r, 'msDS-Behavior-Version'), x));
  // an export without CN=Partitions still knows the domain it was taken from
  if (!domains.some((d) => sameDn(d.dn, x.rootDse.defaultNamingContext))) {
    domains.push(domainOf(x.rootDse.defaultNamingContext, null, null, x));
  }
  return domains;
}

function domainOf(dn: string, dnsRoot: string | null, crossRefLevel: number | null, x: ForestInputs): z.infer<typeof Domain> {
  const isDefault = sameDn(dn, x.rootDse.defaultNamingContext);
  // the domain head holds the authoritative level; the crossRef copy serves other domains
  const level = (isDefault && x.domainHead ? int(x.domainHead, 'msDS-Behavior-Version') : null) ?? crossRefLevel;
  return {
    dn,
    dnsName: dnsRoot ?? dnsNameOfDomain(dn),
    functionalLevel: level,
    functionalLevelName: functionalLevelName(level),
    exchangeSystemObjectsVersion: mesoOf(dn, x.mesos),
  };
}

/** The domain whose NC holds a DN: the deepest domain above it (a child domain's DN is under its parent's). */
function owningDomain(dn: string, domains: ReadonlyArray<z.infer<typeof Domain>>): z.infer<typeof Domain> | undefined {
  return domains.filter((d) => isUnderDn(dn, d.dn)).sort((a, b) => b.dn.length - a.dn.length)[0];
}

function mesoOf(domainDn: string, mesos: readonly Entry[]): number | null {
  const e = mesos.find((m) => sameDn(m.dn, mesoDn(domainDn)));
  return e ? int(e, 'objectVersion') : null;
}

/**
 * The MESO objectVersion the organization's prepared level goes with: the
 * `meso` of the rows whose organization objectVersion matches. When no row or
 * rows with different MESO values match, the highest MESO among the domains.
 */
export function expectedMeso(orgObjectVersion: number | null, domains: ReadonlyArray<z.infer<typeof Domain>>): number | null {
  const rows = orgRows(orgObjectVersion);
  const values = [...new Set(rows.map((r) => r.meso).filter((v): v is number => v !== null))];
  if (values.length === 1) return values[0]!;
  const seen = domains.map((d) => d.exchangeSystemObjectsVersion).filter((v): v is number => v !== null);
  return seen.length ? Math.max(...seen) : null;
}

function orgRows(orgObjectVersion: number | null): PreparationLevel[] {
  return orgObjectVersion === null ? [] : PREPARATION_LEVELS.filter((l) => !l.update && l.org === orgObjectVersion);
}

/**
 * The command that prepares one domain, with the media of the organization's
 * release. 2013 and later: `Setup.exe /PrepareDomain:<FQDN>` with the license
 * switch (Microsoft, Prepare Active Directory and domains, "Prepare Active
 * Directory domains"); the _DiagnosticDataOFF form from 2016 CU22 / 2019 CU11
 * on, as the runbook prints setup commands. 2007/2010: `Setup.com
 * /PrepareDomain:<FQDN>`. 2000/2003: `setup /domainprep`, run in that domain.
 */
export function prepareDomainCommand(orgObjectVersion: number | null, fqdn: string): string {
  const rows = orgRows(orgObjectVersion);
  const cu = (r: PreparationLevel) => Number(/^CU(\d+)$/.exec(r.release)?.[1] ?? 0);
  const modern = rows.length > 0 && rows.every((r) => /20(13|16|19)|SE/.test(r.product));
  if (rows.length > 0 && rows.every((r) => /2000|2003/.test(r.product))) return 'setup.exe /domainprep (run on a computer of that domain)';
  if (rows.length > 0 && !modern) return `Setup.com /PrepareDomain:${fqdn}`;
  const diagnostic = rows.length > 0 && rows.every((r) =>
    r.product.endsWith('SE') || (r.product.endsWith('2016') && cu(r) >= 22) || (r.product.endsWith('2019') && cu(r) >= 11));
  return `Setup.exe /PrepareDomain:${fqdn} ${diagnostic ? '/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF' : '/IAcceptExchangeServerLicenseTerms'}`;
}

/**
 * Every domain with Exchange servers or mailboxes must be prepared with the
 * organization's release (Microsoft, Prepare Active Directory and domains;
 * CSS-Exchange Test-ExchangeADSetupLevel.ps1 reads the MESO objectVersion of
 * each domain). A domain behind the organization's level, or without MESO
 * while it holds an Exchange server's computer account, is a warning.
 * `serverComputers`: the DNs of the Exchange servers' computer accounts.
 */
export function reportDomainPreparation(
  domains: ReadonlyArray<z.infer<typeof Domain>>,
  orgObjectVersion: number | null,
  defaultDomain: string,
  serverComputers: readonly { server: string; computerDn: string }[],
  w: Warnings,
): void {
  const expected = expectedMeso(orgObjectVersion, domains);
  const media = orgRelease(orgObjectVersion) ?? 'the organization\'s release';
  for (const d of [...domains].sort((a, b) => (a.dnsName < b.dnsName ? -1 : 1))) {
    const v = d.exchangeSystemObjectsVersion;
    const fix = `run ${prepareDomainCommand(orgObjectVersion, d.dnsName)} from the media of ${media}`;
    if (v !== null && expected !== null && v < expected) {
      w.add('meso-behind', `domain ${d.dnsName}: Microsoft Exchange System Objects objectVersion ${v} is lower than ${expected}, which the organization's prepared level expects: ${fix}`, mesoDn(d.dn));
    }
    // only a domain other than the default one: its search ran because it holds a server's account, so it was read
    if (v === null && !sameDn(d.dn, defaultDomain)) {
      const held = serverComputers.filter((s) => sameDn(owningDomain(s.computerDn, domains)?.dn ?? '', d.dn)).map((s) => s.server).sort();
      if (held.length > 0) {
        w.add('domain-not-prepared', `domain ${d.dnsName} holds the computer account of Exchange server ${held.join(', ')} but has no Microsoft Exchange System Objects container: it is not prepared for Exchange; ${fix}`, d.dn);
      }
    }
  }
}
