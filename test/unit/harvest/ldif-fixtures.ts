/**
 * LDIF text shared by the harvest unit tests: the DNs of a one-domain
 * contoso.test forest with one Exchange organization, and builders for the
 * entries several tests feed to the harvest (root DSE, the DC in the default
 * site, the Exchange schema version, the domain head, the EX1 computer and
 * DNS nodes). Every builder returns entries ending in a newline; `ldif`
 * joins them with the blank line LDIF needs between entries.
 */

export const ROOT = 'DC=contoso,DC=test';
export const CONFIG = `CN=Configuration,${ROOT}`;
export const EXCH = `CN=Microsoft Exchange,CN=Services,${CONFIG}`;
export const ORG = `CN=Contoso,${EXCH}`;
export const AG = `CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,${ORG}`;
export const EX1 = `CN=EX1,CN=Servers,${AG}`;

/** A record 10.0.1.10, TTL 3600, static, as one dnsRecord line. */
export const A_RECORD_10_0_1_10 = 'dnsRecord:: BAABAAXwAAABAAAAAAAOEAAAAAAAAAAACgABCg==';

/** One entry: its dn line, then the given attribute lines. */
export const entry = (dn: string, ...lines: string[]): string => [`dn: ${dn}`, ...lines].join('\n') + '\n';

/** Entries (or runs of entries) separated by a blank line. */
export const ldif = (...chunks: string[]): string => chunks.join('\n');

/** The root DSE entry, with naming contexts beyond root, configuration and schema. */
export const rootDse = (...moreNamingContexts: string[]): string => `dn:
configurationNamingContext: ${CONFIG}
schemaNamingContext: CN=Schema,${CONFIG}
defaultNamingContext: ${ROOT}
rootDomainNamingContext: ${ROOT}
namingContexts: ${ROOT}
namingContexts: ${CONFIG}
namingContexts: CN=Schema,${CONFIG}
${moreNamingContexts.map((nc) => `namingContexts: ${nc}\n`).join('')}`;

/** DC1 in Default-First-Site-Name: its server object and NTDS Settings, each with extra attribute lines. */
export const siteDc = ({ server = [], ntds = [] }: { server?: string[]; ntds?: string[] } = {}): string =>
  ldif(
    entry(`CN=DC1,CN=Servers,CN=Default-First-Site-Name,CN=Sites,${CONFIG}`, 'objectClass: server', ...server),
    entry(`CN=NTDS Settings,CN=DC1,CN=Servers,CN=Default-First-Site-Name,CN=Sites,${CONFIG}`, 'objectClass: nTDSDSA', ...ntds),
  );

/** ms-Exch-Schema-Version-Pt with the given rangeUpper. */
export const schemaVersion = (rangeUpper = 17003): string =>
  entry(`CN=ms-Exch-Schema-Version-Pt,CN=Schema,${CONFIG}`, 'objectClass: attributeSchema', `rangeUpper: ${rangeUpper}`);

/** The Microsoft Exchange container and the Contoso organization, with extra organization lines. */
export const exchangeOrg = (...orgLines: string[]): string =>
  ldif(entry(EXCH, 'objectClass: msExchConfigurationContainer'), entry(ORG, 'objectClass: msExchOrganizationContainer', ...orgLines));

/** The domain head object of contoso.test, with extra attribute lines. */
export const domainHead = (...lines: string[]): string => entry(ROOT, 'objectClass: domainDNS', ...lines);

/** EX1's computer account in CN=Computers of contoso.test. */
export const ex1Computer = (): string =>
  entry(`CN=EX1,CN=Computers,${ROOT}`, 'objectClass: computer', 'sAMAccountName: EX1$', 'dNSHostName: ex1.contoso.test');

/** The node `name` of the contoso.test zone in DomainDnsZones, with its record (and other) lines. */
export const dnsNode = (name: string, ...lines: string[]): string =>
  entry(`DC=${name},DC=contoso.test,CN=MicrosoftDNS,DC=DomainDnsZones,${ROOT}`, 'objectClass: dnsNode', `dc: ${name}`, ...lines);
