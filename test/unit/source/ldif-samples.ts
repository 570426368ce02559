/**
 * Hand-written LDIF in the two dialects exbinder reads. Kept as strings so
 * CRLF line ends and the BOM survive git and editors byte-for-byte.
 */

const b64 = (s: string | Buffer): string => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s).toString('base64');

export const CONFIG = 'CN=Configuration,DC=contoso,DC=com';
export const ORG = `CN=Contoso,CN=Microsoft Exchange,CN=Services,${CONFIG}`;
export const AG = `CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,${ORG}`;
export const DB = `CN=Mailbox Database 0311695863,CN=Databases,${AG}`;
export const SERVER = `CN=EX01,CN=Servers,${AG}`;
/** a GUID whose bytes are not valid UTF-8 */
export const GUID = Buffer.from('8e5fb0a1c3d24b7f9a0b1c2d3e4f5061', 'hex');
export const PF_NAME = 'Zürich – Öffentliche Ordner';

/**
 * Windows `ldifde -f export.ldf` style: BOM, CRLF, `changetype: add`, lines
 * folded with one leading space (here inside the long DN and a long value),
 * base64 for non-ASCII text and binary, ranged keys for big backlinks, and
 * attribute names in schema case.
 */
export const LDIFDE =
  '\uFEFF' +
  [
    '# exported by ldifde (comment lines are allowed anywhere between lines,',
    '#  and a comment may be folded too)',
    `dn: ${ORG}`,
    'changetype: add',
    'objectClass: top',
    'objectClass: container',
    'objectClass: msExchOrganizationContainer',
    'cn: Contoso',
    'objectVersion: 16133',
    '',
    // the DB's DN folded over three lines, split mid-word
    'dn: CN=Mailbox Database 0311695863,CN=Databases,CN=Exchange Administrative Gr',
    ' oup (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Excha',
    ' nge,CN=Services,CN=Configuration,DC=contoso,DC=com',
    'changetype: add',
    'objectClass: top',
    'objectClass: msExchMDB',
    'objectClass: msExchPrivateMDB',
    'cn: Mailbox Database 0311695863',
    'msExchEDBFile: D:\\Program Files\\Microsoft\\Exchange Server\\V15\\Mailbox\\Mai',
    ' lbox Database 0311695863\\Mailbox Database 0311695863.edb',
    `objectGUID:: ${b64(GUID)}`,
    `msExchOwningServer: ${SERVER}`,
    'homeMDBBL;range=0-2: CN=u0,CN=Users,DC=contoso,DC=com',
    'homeMDBBL;range=0-2: CN=u1,CN=Users,DC=contoso,DC=com',
    'homeMDBBL;range=0-2: CN=u2,CN=Users,DC=contoso,DC=com',
    'homeMDBBL;range=3-*: CN=u3,CN=Users,DC=contoso,DC=com',
    'homeMDBBL;range=3-*: CN=u4,CN=Users,DC=contoso,DC=com',
    '',
    `dn: ${SERVER}`,
    'changetype: add',
    'objectClass: top',
    'objectClass: server',
    'objectClass: msExchExchangeServer',
    'objectCategory: CN=ms-Exch-Exchange-Server,CN=Schema,CN=Configuration,DC=contoso,DC=com',
    'cn: EX01',
    'serialNumber: Version 15.2 (Build 1544.4)',
    'msExchCurrentServerRoles: 16439',
    'networkAddress: ncacn_ip_tcp:EX01.contoso.com',
    'networkAddress: ncacn_vns_spp:EX01',
    '',
    // non-ASCII DN and value, both base64 as ldifde writes them
    `dn:: ${b64(`CN=${PF_NAME},CN=Folder Hierarchies,${AG}`)}`,
    'changetype: add',
    'objectClass: msExchPFTree',
    `description:: ${b64(PF_NAME)}`,
    '',
  ].join('\r\n');

/**
 * `ldapsearch -LL` style: version line, extended comments, `dn::` for a DN
 * with an escaped comma, a search reference record and the result trailer.
 */
export const LDAPSEARCH = [
  'version: 1',
  '',
  '# extended LDIF',
  '#',
  '# LDAPv3',
  '# base <DC=contoso,DC=com> with scope subtree',
  '# filter: (objectclass=*)',
  '# requesting: ALL',
  '#',
  '',
  '# contoso.com',
  'dn: DC=contoso,DC=com',
  'objectClass: top',
  'objectClass: domain',
  'objectClass: domainDNS',
  'dc: contoso',
  '',
  '# SG2, Finance',
  'dn: CN=SG2\\, Finance,CN=InformationStore,CN=EX2003,CN=Servers,CN=First Administ',
  ' rative Group,CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Se',
  ' rvices,CN=Configuration,DC=contoso,DC=com',
  'objectClass: top',
  'objectClass: msExchStorageGroup',
  'cn: SG2, Finance',
  'msExchESEParamLogFilePath: E:\\Logs\\SG2',
  '',
  '# user',
  'dn: CN=Jörg Müller,CN=Users,DC=contoso,DC=com',
  'objectClass: user',
  'displayName: Jörg Müller',
  'userAccountControl: 512',
  '',
  '# search reference',
  'ref: ldap://ForestDnsZones.contoso.com/DC=ForestDnsZones,DC=contoso,DC=com',
  '',
  '# search result',
  'search: 2',
  'result: 0 Success',
  '',
  '# numResponses: 5',
  '# numEntries: 3',
  '# numReferences: 1',
  '',
].join('\n');
