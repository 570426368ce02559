/** Organization and forest facts: preparation levels, functional levels, domains. */
import type { Entry, RootDse } from '../source/directory.js';
import type { z } from 'zod';
import type { CmdletExtensionAgent, Domain, DomainController, Forest, Organization } from '../snapshot/model.js';
import { first, identity, int, nameOf } from './entries.js';
import { functionalLevelName, mesoRelease, orgRelease, schemaRelease } from './decode/schema-versions.js';
import { parseDn, sameDn } from '../dn.js';
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

export function mapOrganization(org: Entry, adminGroups: readonly Entry[], agents: readonly Entry[], w: Warnings): z.infer<typeof Organization> {
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
  return { ...identity(org), objectVersion, objectVersionRelease, adminGroups: adminGroups.map((a) => identity(a)), cmdletExtensionAgents };
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

export interface ForestInputs {
  rootDse: RootDse;
  schemaVersion: Entry | undefined;
  crossRefContainer: Entry | undefined;
  crossRefs: readonly Entry[];
  domainHead: Entry | undefined;
  meso: Entry | undefined;
  domainControllers: DomainController[];
}

export function mapForest(x: ForestInputs, w: Warnings): z.infer<typeof Forest> {
  const exchangeSchemaVersion = x.schemaVersion ? int(x.schemaVersion, 'rangeUpper') : null;
  const exchangeSchemaRelease = schemaRelease(exchangeSchemaVersion);
  if (exchangeSchemaVersion !== null && exchangeSchemaRelease === null) {
    w.add('unknown-schema-version', `Exchange schema version (rangeUpper) ${exchangeSchemaVersion} is not in the table of known releases`, x.schemaVersion?.dn ?? null);
  }
  const mesoVersion = x.meso ? int(x.meso, 'objectVersion') : null;
  if (mesoVersion !== null && mesoRelease(mesoVersion) === null) {
    w.add('unknown-schema-version', `Microsoft Exchange System Objects objectVersion ${mesoVersion} is not in the table of known releases`, x.meso?.dn ?? null);
  }

  const domainRefs = x.crossRefs.filter((r) => ((int(r, 'systemFlags') ?? 0) & FLAG_CR_NTDS_DOMAIN) !== 0 && first(r, 'nCName'));
  const domains: Array<z.infer<typeof Domain>> = domainRefs.map((r) => domainOf(first(r, 'nCName')!, first(r, 'dnsRoot'), int(r, 'msDS-Behavior-Version'), x));
  // an export without CN=Partitions still knows the domain it was taken from
  if (!domains.some((d) => sameDn(d.dn, x.rootDse.defaultNamingContext))) {
    domains.push(domainOf(x.rootDse.defaultNamingContext, null, null, x));
  }

  const forestLevel = x.crossRefContainer ? int(x.crossRefContainer, 'msDS-Behavior-Version') : null;
  return {
    rootDomain: x.rootDse.rootDomainNamingContext,
    functionalLevel: forestLevel,
    functionalLevelName: functionalLevelName(forestLevel),
    exchangeSchemaVersion,
    exchangeSchemaRelease,
    domains,
    domainControllers: x.domainControllers,
  };
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
    exchangeSystemObjectsVersion: isDefault && x.meso ? int(x.meso, 'objectVersion') : null,
  };
}
