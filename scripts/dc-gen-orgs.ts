/**
 * Generates fixtures/orgs/contoso.ldif and fixtures/orgs/fabrikam.ldif: the two
 * Exchange organizations loaded into the throwaway Samba DCs (test/dc/samba.ts).
 *
 * Run: npx tsx scripts/dc-gen-orgs.ts   (output is committed; certificates are
 * generated with openssl with fixed validity dates, their keys are thrown away,
 * so rerunning changes only the certificate bytes).
 *
 * The LDIF is for `ldbmodify` on the DC's sam.ldb. Placeholders resolved by the loader:
 *   ${SID:<dn>}  objectSid of an object created earlier in the same file
 *                (records using it are loaded in a second pass).
 * IP addresses are 10.0.0.0/8 documentation values; nothing sends traffic there.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const OUT = join(import.meta.dirname, '..', 'fixtures', 'orgs');

// ---------------------------------------------------------------- LDIF writer
export type Value = string | number | boolean | Buffer;
export type Attrs = Record<string, Value | Value[] | undefined>;
export interface Rec { dn: string; attrs: Attrs; changetype?: 'add' | 'modify-replace' }

/** RFC 2849: base64 when the value is not a SAFE-STRING. */
function line(name: string, v: Value): string {
  if (Buffer.isBuffer(v)) return `${name}:: ${v.toString('base64')}`;
  const s = typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v);
  const safe = /^[\x01-\x09\x0b\x0c\x0e-\x1f\x21-\x39\x3b\x3d-\x7f][\x01-\x09\x0b\x0c\x0e-\x7f]*$/.test(s) && !s.endsWith(' ');
  return safe || s === '' ? `${name}: ${s}` : `${name}:: ${Buffer.from(s, 'utf8').toString('base64')}`;
}

export function ldif(records: Rec[]): string {
  return records
    .map((r) => {
      const out = [line('dn', r.dn)];
      if (r.changetype === 'modify-replace') {
        out.push('changetype: modify');
        for (const [k, v] of Object.entries(r.attrs)) {
          if (v === undefined) continue;
          out.push(`replace: ${k}`, ...[v].flat().map((x) => line(k, x)), '-');
        }
      } else {
        out.push('changetype: add');
        for (const [k, v] of Object.entries(r.attrs)) if (v !== undefined) out.push(...[v].flat().map((x) => line(k, x)));
      }
      return out.join('\n') + '\n';
    })
    .join('\n');
}

// ---------------------------------------------------------------- value helpers
/** versionNumber packing used by Exchange 2007+ (reference §4.2). */
export const versionNumber = (major: number, minor: number, build: number): number =>
  (((major & 63) << 22) | ((minor & 63) << 16) | (build & 0x7fff) | 0x70008000) >>> 0;
/** serialNumber as 2007+ setup writes it: build + 30000 (reference §4.1). */
export const serial = (major: number, minor: number, build: number, rev: number): string =>
  `Version ${major}.${minor} (Build ${build + 30000}.${rev})`;

export const MSEXCHVERSION_2007 = 4535486012416;
export const MSEXCHVERSION_2010 = 44220983382016;
export const MSEXCHVERSION_2013 = 88218628259840;

/** dnsRecord blob for a static A record ([MS-DNSP] 2.3.2.2, reference §5.3). */
export function aRecord(ip: string, ttl = 3600): Buffer {
  const b = Buffer.alloc(28);
  b.writeUInt16LE(4, 0); // DataLength
  b.writeUInt16LE(1, 2); // Type A
  b.writeUInt8(5, 4); // Version
  b.writeUInt8(0xf0, 5); // Rank zone
  b.writeUInt32LE(1, 8); // Serial
  b.writeUInt32BE(ttl, 12); // TTL is big-endian
  b.writeUInt32LE(0, 20); // TimeStamp 0 = static
  ip.split('.').forEach((o, i) => b.writeUInt8(Number(o), 24 + i));
  return b;
}

/**
 * A self-signed certificate like Exchange setup creates, via openssl ca (fixed dates); the key is deleted.
 * Made once and kept in fixtures/orgs/certs/<cn>.der, so regenerating the LDIF does not churn it
 * (delete the file to make a new one).
 */
function certificate(cn: string, sans: string[], notBefore: string, notAfter: string, file = cn): Buffer {
  const kept = join(OUT, 'certs', `${file}.der`);
  if (existsSync(kept)) return readFileSync(kept);
  const der = newCertificate(cn, sans, notBefore, notAfter);
  mkdirSync(join(OUT, 'certs'), { recursive: true });
  writeFileSync(kept, der);
  return der;
}

function newCertificate(cn: string, sans: string[], notBefore: string, notAfter: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'exb-cert-'));
  try {
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), `${createHash('sha1').update(cn).digest('hex').slice(0, 16).toUpperCase()}\n`); // distinct, stable serials
    writeFileSync(
      join(dir, 'ca.cnf'),
      `[ca]\ndefault_ca=d\n[d]\ndatabase=${dir}/index.txt\nserial=${dir}/serial\nnew_certs_dir=${dir}\ndefault_md=sha256\npolicy=p\nunique_subject=no\ncopy_extensions=copy\n` +
        `[p]\ncommonName=supplied\n[req]\ndistinguished_name=dn\nprompt=no\nreq_extensions=ext\n[dn]\nCN=${cn}\n` +
        `[ext]\nsubjectAltName=${sans.map((s) => `DNS:${s}`).join(',')}\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`,
    );
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    run(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'req.pem', '-config', 'ca.cnf']);
    run(['ca', '-batch', '-selfsign', '-config', 'ca.cnf', '-keyfile', 'key.pem', '-in', 'req.pem', '-out', 'cert.pem',
      '-startdate', notBefore, '-enddate', notAfter, '-extensions', 'ext', '-extfile', 'ca.cnf', '-notext']);
    return execFileSync('openssl', ['x509', '-in', join(dir, 'cert.pem'), '-outform', 'DER']);
  } finally {
    rmSync(dir, { recursive: true, force: true }); // the key is never kept
  }
}

// ---------------------------------------------------------------- org builder
export interface ServerSpec {
  name: string;
  adminGroup: 'legacy' | 'modern';
  product: 2003 | 2007 | 2010 | 2016 | 2019 | 'SE';
  serialNumber: string;
  versionNumber: number;
  roles?: number;
  installPath: string;
  ip: string | null; // null: no A record in the AD zone
  os: [string, string, string] | null; // null: no computer account
  dag?: string;
  /** AD site name (default: the org's first site) */
  site?: string;
  cert?: Buffer;
  extraChildren?: Rec[];
  /** 2007 clustered mailbox server: msExchClusterStorageType (1 CCR, 2 SCC) and its nodes */
  cluster?: { storageType: 1 | 2; nodes: string[] };
  /** 2013+: log paths of the CN=Frontend transport service, when not under the install path */
  frontendLogRoot?: string;
}

export class Org {
  readonly records: Rec[] = [];
  readonly late: Rec[] = []; // records after mailboxes (none needed today)
  constructor(
    readonly name: string,
    readonly domain: string, // dns name
    readonly siteName = 'Default-First-Site-Name',
  ) {}
  get base(): string { return this.domain.split('.').map((p) => `DC=${p}`).join(','); }
  get config(): string { return `CN=Configuration,${this.base}`; }
  get exchange(): string { return `CN=Microsoft Exchange,CN=Services,${this.config}`; }
  get org(): string { return `CN=${this.name},${this.exchange}`; }
  get modernAg(): string { return `CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,${this.org}`; }
  get site(): string { return this.siteDn(this.siteName); }
  siteDn(name: string): string { return `CN=${name},CN=Sites,${this.config}`; }

  /** An extra AD site (the first one is Samba's Default-First-Site-Name). */
  adSite(name: string, subnet: string): void {
    const dn = this.siteDn(name);
    this.add(dn, { objectClass: 'site' });
    this.add(`CN=NTDS Site Settings,${dn}`, { objectClass: 'nTDSSiteSettings' });
    this.add(`CN=Servers,${dn}`, { objectClass: 'serversContainer' });
    this.add(`CN=${subnet.replace('/', '\\/')},CN=Subnets,CN=Sites,${this.config}`, { objectClass: 'subnet', siteObject: dn });
  }
  get zone(): string { return `DC=${this.domain},CN=MicrosoftDNS,DC=DomainDnsZones,${this.base}`; }
  get exchangeServersGroup(): string { return `CN=Exchange Servers,OU=Microsoft Exchange Security Groups,${this.base}`; }
  get legacyInteropGroup(): string { return `CN=ExchangeLegacyInterop,OU=Microsoft Exchange Security Groups,${this.base}`; }
  fqdn(host: string): string { return `${host.toLowerCase()}.${this.domain}`; }
  add(dn: string, attrs: Attrs): string { this.records.push({ dn, attrs }); return dn; }
  serverDn(name: string, ag = this.modernAg): string { return `CN=${name},CN=Servers,${ag}`; }
  legacyDn(ag: string, server: string): string { return `/o=${this.name}/ou=${ag}/cn=Configuration/cn=Servers/cn=${server}`; }

  skeleton(forest: { schemaVersion: number; orgVersion: number; mesoVersion: number; productId: string }): void {
    this.records.push({ dn: `CN=ms-Exch-Schema-Version-Pt,CN=Schema,${this.config}`, attrs: { rangeUpper: forest.schemaVersion }, changetype: 'modify-replace' });
    this.add(this.exchange, { objectClass: 'msExchConfigurationContainer' });
    this.add(this.org, { objectClass: 'msExchOrganizationContainer', objectVersion: forest.orgVersion, msExchProductID: forest.productId, msExchVersion: MSEXCHVERSION_2013 });
    this.add(`CN=Administrative Groups,${this.org}`, { objectClass: 'msExchAdminGroupContainer' });
    this.add(`CN=Microsoft Exchange System Objects,${this.base}`, { objectClass: 'msExchSystemObjectsContainer', objectVersion: forest.mesoVersion });
    this.add(`OU=Microsoft Exchange Security Groups,${this.base}`, { objectClass: 'organizationalUnit' });
    this.add(this.exchangeServersGroup, { objectClass: 'group', sAMAccountName: 'Exchange Servers', groupType: -2147483640 /* universal security */ });
    this.add(this.legacyInteropGroup, { objectClass: 'group', sAMAccountName: 'ExchangeLegacyInterop', groupType: -2147483640 });
    // Exchange finds its groups through well-known GUIDs on CN=Microsoft Exchange (WellKnownGuid in Exchange)
    this.records.push({
      dn: this.exchange, changetype: 'modify-replace',
      attrs: { otherWellKnownObjects: [`B:32:6C01D2A7F08345038132789EEB127B84:${this.exchangeServersGroup}`, `B:32:3F965B9CF1674B4A936CB8EFB19C4784:${this.legacyInteropGroup}`] },
    });
    this.add(`CN=Transport Settings,${this.org}`, { objectClass: 'msExchTransportSettings', msExchVersion: MSEXCHVERSION_2007 });
    this.add(`CN=Accepted Domains,CN=Transport Settings,${this.org}`, { objectClass: 'container' });
  }

  adminGroup(name: string, version: number): string {
    const ag = `CN=${name},CN=Administrative Groups,${this.org}`;
    this.add(ag, { objectClass: 'msExchAdminGroup', msExchVersion: version || undefined, legacyExchangeDN: `/o=${this.name}/ou=${name}` });
    this.add(`CN=Servers,${ag}`, { objectClass: 'msExchServersContainer' });
    return ag;
  }

  modern(): void {
    const ag = this.adminGroup('Exchange Administrative Group (FYDIBOHF23SPDLT)', MSEXCHVERSION_2007);
    this.add(`CN=Databases,${ag}`, { objectClass: 'msExchMDBContainer' });
    this.add(`CN=Database Availability Groups,${ag}`, { objectClass: 'msExchMDBAvailabilityGroupContainer' });
    this.add(`CN=Routing Groups,${ag}`, { objectClass: 'msExchRoutingGroupContainer' });
  }

  routingGroup(ag: string, name: string, master: string | null): string {
    const rg = `CN=${name},CN=Routing Groups,${ag}`;
    this.add(rg, { objectClass: 'msExchRoutingGroup', msExchRoutingMasterDN: master ?? undefined });
    this.add(`CN=Connections,${rg}`, { objectClass: 'msExchConnectors' });
    return rg;
  }

  server(s: ServerSpec): string {
    const agName = s.adminGroup === 'legacy' ? 'First Administrative Group' : 'Exchange Administrative Group (FYDIBOHF23SPDLT)';
    const ag = `CN=${agName},CN=Administrative Groups,${this.org}`;
    const dn = this.serverDn(s.name, ag);
    const fqdn = this.fqdn(s.name);
    const computer = `CN=${s.name},CN=Computers,${this.base}`;
    if (s.os) {
      this.add(computer, {
        objectClass: 'computer', sAMAccountName: `${s.name}$`, userAccountControl: 4096, dNSHostName: fqdn,
        operatingSystem: s.os[0], operatingSystemVersion: s.os[1], operatingSystemServicePack: s.os[2] || undefined,
        servicePrincipalName: [`exchangeMDB/${fqdn}`, `exchangeRFR/${fqdn}`, `HOST/${fqdn}`, `HOST/${s.name}`],
      });
    }
    const legacy = s.product === 2003;
    const modern = !legacy && s.product !== 2007;
    this.add(dn, {
      objectClass: 'msExchExchangeServer',
      serialNumber: s.serialNumber,
      versionNumber: s.versionNumber,
      serverRole: legacy ? 0 : undefined,
      msExchServerRole: legacy ? 0 : undefined,
      msExchCurrentServerRoles: s.roles,
      msExchInstallPath: s.installPath,
      msExchDataPath: legacy ? s.installPath : `${s.installPath}\\Mailbox`,
      msExchServerSite: legacy ? undefined : s.site ? this.siteDn(s.site) : this.site,
      networkAddress: [`ncacn_vns_spp:${s.name}`, `netbios:${s.name}`, `ncacn_np:${s.name}`, `ncacn_spx:${s.name}`, `ncacn_ip_tcp:${fqdn}`, `ncalrpc:${s.name}`],
      msExchComputerLink: legacy && s.os ? computer : undefined,
      msExchMDBAvailabilityGroupLink: s.dag ? `CN=${s.dag},CN=Database Availability Groups,${this.modernAg}` : undefined,
      msExchServerInternalTLSCert: s.cert,
      msExchVersion: legacy ? undefined : s.product === 2007 ? MSEXCHVERSION_2007 : s.product === 2010 ? MSEXCHVERSION_2010 : MSEXCHVERSION_2013,
      legacyExchangeDN: this.legacyDn(agName, s.name),
      messageTrackingEnabled: true,
      msExchClusterStorageType: s.cluster?.storageType,
      msExchServerRedundantMachines: s.cluster?.nodes,
      ...(legacy ? {} : transportPaths(s.installPath, s.product)),
    });
    this.add(`CN=InformationStore,${dn}`, { objectClass: 'msExchInformationStore' });
    this.add(`CN=Protocols,${dn}`, { objectClass: 'protocolCfgSharedServer' });
    if (!legacy) {
      this.add(`CN=HTTP,CN=Protocols,${dn}`, { objectClass: 'msExchProtocolCfgHTTPContainer' });
      this.add(`CN=SMTP Receive Connectors,CN=Protocols,${dn}`, { objectClass: 'container' });
    }
    if (modern && s.product !== 2010 && s.roles !== ROLE_EDGE) {
      this.add(`CN=Transport Configuration,${dn}`, { objectClass: 'msExchExchangeTransportCfgContainer' });
      for (const role of ['Frontend', 'Mailbox']) {
        // 2013+ transport sub-objects: they match (objectClass=msExchExchangeServer) and must not be taken for servers
        this.add(`CN=${role},CN=Transport Configuration,${dn}`, {
          objectClass: 'msExchExchangeTransportServer', msExchVersion: MSEXCHVERSION_2013,
          ...transportPaths(role === 'Frontend' && s.frontendLogRoot ? s.frontendLogRoot : s.installPath, s.product, role),
        });
      }
    }
    if (s.ip) this.add(`DC=${s.name.toLowerCase()},${this.zone}`, { objectClass: 'dnsNode', dnsRecord: aRecord(s.ip) });
    for (const r of s.extraChildren ?? []) this.records.push(r);
    return dn;
  }

  storageGroup(server: string, name: string, p: { log: string; system: string; prefix: string; circular?: boolean; recovery?: boolean }): string {
    const dn = `CN=${name.replace(/,/g, '\\,')},CN=InformationStore,${server}`;
    this.add(dn, {
      objectClass: 'msExchStorageGroup', msExchESEParamLogFilePath: p.log, msExchESEParamSystemPath: p.system,
      msExchESEParamBaseName: p.prefix, msExchESEParamCircularLog: p.circular ? 1 : 0, msExchRestore: p.recovery ?? false,
    });
    return dn;
  }

  /** 2003/2007 database inside a storage group. */
  sgDatabase(sg: string, server: string, name: string, kind: 'mailbox' | 'public', edb: string, stm?: string,
    opts: { offline?: boolean; publicFolders?: string } = {}): string {
    const dn = `CN=${name},${sg}`;
    this.add(dn, {
      msExchHomePublicMDB: opts.publicFolders, // default public folder database of a mailbox database
      objectClass: kind === 'mailbox' ? 'msExchPrivateMDB' : 'msExchPublicMDB', msExchEDBFile: edb, msExchSLVFile: stm,
      msExchOwningServer: server, msExchEDBOffline: opts.offline ?? false, msExchPatchMDB: false, msExchDatabaseCreated: true,
      deliveryMechanism: 0, legacyExchangeDN: `${this.legacyDnOf(server)}/cn=Microsoft ${kind === 'mailbox' ? 'Private' : 'Public'} MDB`,
    });
    return dn;
  }

  private legacyDnOf(serverDn: string): string {
    const m = /^CN=([^,]+),CN=Servers,CN=([^,]+),/.exec(serverDn);
    return m ? this.legacyDn(m[2]!, m[1]!) : `/o=${this.name}`;
  }

  /** 2010+ database under CN=Databases with one msExchMDBCopy per hosting server. */
  database(name: string, p: {
    master: string; owner: string; edb: string; log: string; prefix: string; circular?: boolean; recovery?: boolean;
    /** lags in seconds, as Exchange stores them in AD (EnhancedTimeSpan → TotalSeconds) */
    copies: { server: string; pref: number; replayLag?: number; truncationLag?: number }[]; offline?: boolean;
  }): string {
    const dn = `CN=${name},CN=Databases,${this.modernAg}`;
    this.add(dn, {
      objectClass: 'msExchPrivateMDB', msExchEDBFile: p.edb, msExchESEParamLogFilePath: p.log, msExchESEParamSystemPath: p.log,
      msExchESEParamBaseName: p.prefix, msExchESEParamCircularLog: p.circular ? 1 : 0, msExchRestore: p.recovery ?? false,
      msExchOwningServer: p.owner, msExchMasterServerOrAvailabilityGroup: p.master, msExchEDBOffline: p.offline ?? false,
      msExchPatchMDB: p.recovery ?? false, msExchDatabaseCreated: true, deliveryMechanism: 0, msExchVersion: MSEXCHVERSION_2010,
    });
    for (const c of p.copies) {
      const serverName = /^CN=([^,]+)/.exec(c.server)![1]!;
      this.add(`CN=${serverName.toUpperCase()},${dn}`, {
        objectClass: 'msExchMDBCopy', msExchHostServerLink: c.server, msExchActivationPreference: c.pref,
        msExchReplayLag: c.replayLag ?? 0, msExchTruncationLag: c.truncationLag ?? 0, msExchVersion: MSEXCHVERSION_2010,
      });
    }
    return dn;
  }

  dag(name: string, p: { witness: string; witnessDir: string; altWitness?: string; altWitnessDir?: string; ips: string[]; dac: number }): string {
    return this.add(`CN=${name},CN=Database Availability Groups,${this.modernAg}`, {
      objectClass: 'msExchMDBAvailabilityGroup', msExchMDBAvailabilityGroupName: name, msExchFileShareWitness: p.witness,
      msExchFileShareWitnessDirectory: p.witnessDir, msExchAlternateFileShareWitness: p.altWitness, msExchAlternateFileShareWitnessDirectory: p.altWitnessDir,
      msExchMDBAvailabilityGroupIPv4Addresses: p.ips, msExchDatacenterActivationMode: p.dac, msExchVersion: MSEXCHVERSION_2010,
    });
  }

  /** The 2013+ client access set: front-end and back-end virtual directories plus the Autodiscover SCP. */
  webServices(server: string, name: string, ns: { internal: string; external: string | null }): void {
    const host = this.fqdn(name);
    const http = `CN=HTTP,CN=Protocols,${server}`;
    const vdirs: [string, string, string, number, number][] = [
      // [cn, class, path, internal auth, external auth]; auth bits: Basic 1, Ntlm 2, Fba 4, WindowsIntegrated 16, OAuth 1024, Negotiate 8192
      ['owa', 'msExchOWAVirtualDirectory', 'owa', 4 | 1, 4 | 1],
      ['ecp', 'msExchEcpVirtualDirectory', 'ecp', 4 | 1, 4 | 1],
      ['EWS', 'msExchWebServicesVirtualDirectory', 'EWS/Exchange.asmx', 2 | 16 | 1024, 2 | 16 | 1024],
      ['Microsoft-Server-ActiveSync', 'msExchMobileVirtualDirectory', 'Microsoft-Server-ActiveSync', 1, 1],
      ['OAB', 'msExchOABVirtualDirectory', 'OAB', 16 | 1024, 16 | 1024],
      ['mapi', 'msExchMapiVirtualDirectory', 'mapi', 2 | 1024 | 8192, 2 | 1024 | 8192],
      ['PowerShell', 'msExchPowerShellVirtualDirectory', 'powershell', 0, 0],
      ['Autodiscover', 'msExchAutodiscoverVirtualDirectory', 'Autodiscover/Autodiscover.xml', 1 | 2 | 16 | 1024, 1 | 2 | 16 | 1024],
      ['Rpc', 'msExchRpcHttpVirtualDirectory', 'rpc/rpcproxy.dll', 2, 2],
    ];
    for (const [cn, cls, path, inAuth, exAuth] of vdirs) {
      for (const site of ['Default Web Site', 'Exchange Back End']) {
        if (site === 'Exchange Back End' && (cn === 'Rpc')) continue;
        const backEnd = site === 'Exchange Back End';
        const base = backEnd ? `https://${host}:444` : `https://${ns.internal}`;
        this.add(`CN=${cn} (${site}),${http}`, {
          objectClass: cls,
          msExchInternalHostName: cn === 'PowerShell' ? `http://${host}/powershell` : `${base}/${path}`,
          msExchExternalHostName: !backEnd && ns.external && cn !== 'PowerShell' ? `https://${ns.external}/${path}` : undefined,
          msExchInternalAuthenticationMethods: inAuth,
          msExchExternalAuthenticationMethods: backEnd ? undefined : exAuth,
          msExchMetabasePath: `IIS://${host}/W3SVC/${backEnd ? 2 : 1}/ROOT/${cn}`,
          msExchVersion: MSEXCHVERSION_2010,
        });
      }
    }
    this.add(`CN=Autodiscover,CN=Protocols,${server}`, { objectClass: 'container' });
    this.add(`CN=${name},CN=Autodiscover,CN=Protocols,${server}`, {
      objectClass: 'serviceConnectionPoint', serviceBindingInformation: `https://${ns.internal.replace(/^mail\./, 'autodiscover.')}/Autodiscover/Autodiscover.xml`,
      keywords: ['77378F46-2C66-4aa9-A6A6-3E7A48B19596', `Site=${this.siteName}`], serviceDNSName: host, serviceClassName: 'ms-Exchange-AutoDiscover-Service',
    });
  }

  receiveConnector(server: string, name: string, p: {
    bindings: string[]; ranges: string[]; fqdn: string; security: number; maxSize?: number; enabled?: boolean;
    groups: PermissionGroup[]; role?: number; tls?: string;
  }): string {
    return this.add(`CN=${name},CN=SMTP Receive Connectors,CN=Protocols,${server}`, {
      objectClass: 'msExchSmtpReceiveConnector', msExchSmtpReceiveBindings: p.bindings, msExchSmtpReceiveRemoteIPRanges: p.ranges,
      msExchSMTPReceiveConnectorFQDN: p.fqdn, msExchSmtpReceiveEnabled: p.enabled ?? true, msExchSmtpReceiveMaxMessageSize: p.maxSize ?? 37748736,
      msExchSMTPReceiveInboundSecurityFlag: p.security, msExchSmtpReceiveRole: p.role ?? TRANSPORT_ROLE_HUB,
      nTSecurityDescriptor: connectorSddl(this, p.groups), msExchVersion: MSEXCHVERSION_2007, msExchSmtpTLSCertificate: p.tls,
    });
  }

  /**
   * CN=POP3 / CN=IMAP4 under a 2007+ server's CN=Protocols (Get-PopSettings / Get-ImapSettings), with the
   * default bindings (110/995, 143/993) and, when given, the certificate name (X509CertificateName) and the
   * external connection settings ("host:port:encryption"), attribute names as in Exchange's PopImapAdConfigurationSchema.
   */
  popImap(server: string, protocol: 'POP3' | 'IMAP4', p: { certificateName?: string; external?: string[] } = {}): string {
    const [plain, ssl] = protocol === 'POP3' ? [110, 995] : [143, 993];
    return this.add(`CN=${protocol},CN=Protocols,${server}`, {
      objectClass: protocol === 'POP3' ? 'protocolCfgPOPServer' : 'protocolCfgIMAPServer',
      msExchServerBindings: [`0.0.0.0:${plain}`, `[::]:${plain}`], msExchSecureBindings: [`0.0.0.0:${ssl}`, `[::]:${ssl}`],
      msExchPopImapX509CertificateName: p.certificateName, msExchPOPIMAPExternalConnectionSettings: p.external, msExchVersion: MSEXCHVERSION_2013,
    });
  }

  /** Default receive connectors of a 2013+ Mailbox server (front end on 25/587/717, back end on 2525/465). */
  defaultReceiveConnectors(server: string, name: string): void {
    const fqdn = this.fqdn(name);
    const any = ['0.0.0.0-255.255.255.255', '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'];
    this.receiveConnector(server, `Default Frontend ${name}`, {
      bindings: ['0.0.0.0:25', '[::]:25'], ranges: any, fqdn, security: 1 | 2 | 4 | 16, role: TRANSPORT_ROLE_FRONTEND,
      groups: ['AnonymousUsers', 'ExchangeServers', 'ExchangeLegacyServers'],
    });
    this.receiveConnector(server, `Client Frontend ${name}`, {
      bindings: ['0.0.0.0:587', '[::]:587'], ranges: any, fqdn, security: 1 | 2 | 4, role: TRANSPORT_ROLE_FRONTEND, groups: ['ExchangeUsers'],
    });
    this.receiveConnector(server, `Default ${name}`, {
      bindings: ['0.0.0.0:2525', '[::]:2525'], ranges: any, fqdn, security: 1 | 2 | 4 | 16,
      groups: ['ExchangeUsers', 'ExchangeServers', 'ExchangeLegacyServers'],
    });
  }

  /**
   * A cmdlet extension agent (msExchCmdletExtensionAgent; Enabled = flag bit 1). The container
   * name is not verified against a real org; the harvest finds agents by class anywhere in the org.
   */
  cmdletExtensionAgent(name: string, enabled: boolean): string {
    const parent = `CN=CmdletExtensionAgents,CN=Global Settings,${this.org}`;
    if (!this.records.some((r) => r.dn === parent)) {
      if (!this.records.some((r) => r.dn === `CN=Global Settings,${this.org}`)) this.add(`CN=Global Settings,${this.org}`, { objectClass: 'container' });
      this.add(parent, { objectClass: 'container' });
    }
    return this.add(`CN=${name},${parent}`, { objectClass: 'msExchCmdletExtensionAgent', msExchCmdletExtensionFlags: enabled ? 1 : 0, msExchVersion: MSEXCHVERSION_2010 });
  }

  /**
   * CN=Auth Configuration (2013+) with the thumbprints (SHA-1 of the DER, upper-case hex) of
   * self-signed "Microsoft Exchange Server Auth Certificate"s kept in fixtures/orgs/certs:
   * values tagged 0: current, 1: previous, 2: next, as Set-AuthConfig writes them.
   */
  authConfig(slots: { current: string; previous?: string; next?: string }, domain: string): void {
    const thumb = (file: string) => createHash('sha1')
      .update(certificate('Microsoft Exchange Server Auth Certificate', [domain], '20230301000000Z', '20280301000000Z', file)).digest('hex').toUpperCase();
    const values = [`0:${thumb(slots.current)}`];
    if (slots.previous) values.push(`1:${thumb(slots.previous)}`);
    if (slots.next) values.push(`2:${thumb(slots.next)}`);
    this.add(`CN=Auth Configuration,${this.org}`, { objectClass: 'msExchAuthAuthConfig', msExchAuthCertificateThumbprint: values, msExchVersion: MSEXCHVERSION_2013 });
  }

  acceptedDomain(name: string, flags: number): void {
    this.add(`CN=${name},CN=Accepted Domains,CN=Transport Settings,${this.org}`, {
      objectClass: 'msExchAcceptedDomain', msExchAcceptedDomainName: name, msExchAcceptedDomainFlags: flags, msExchVersion: MSEXCHVERSION_2007,
    });
  }

  mailboxes(db: string, server: string, count: number, prefix: string, names?: string[]): void {
    for (let i = 1; i <= count; i++) {
      const display = names?.[i - 1] ?? `${prefix} ${String(i).padStart(4, '0')}`;
      const sam = `${prefix.toLowerCase().replace(/[^a-z0-9]/g, '')}${String(i).padStart(4, '0')}`;
      this.add(`CN=${display.replace(/,/g, '\\,')},OU=Mailboxes,${this.base}`, {
        objectClass: 'user', sAMAccountName: sam, userPrincipalName: `${sam}@${this.domain}`, displayName: display,
        mail: `${sam}@${this.domain}`, homeMDB: db, msExchHomeServerName: this.legacyDnOf(server), msExchRecipientTypeDetails: 1,
        msExchVersion: MSEXCHVERSION_2010, userAccountControl: 514,
      });
    }
  }
}

function transportPaths(install: string, product: ServerSpec['product'], role?: string): Attrs {
  const t = `${install}\\TransportRoles\\Logs${role === 'Frontend' ? '\\FrontEnd' : role === 'Mailbox' ? '\\Mailbox' : ''}`;
  return {
    msExchTransportMessageTrackingPath: product === 2007 || product === 2010 || role === undefined ? `${install}\\TransportRoles\\Logs\\MessageTracking` : undefined,
    msExchTransportReceiveProtocolLogPath: `${t}\\ProtocolLog\\SmtpReceive`,
    msExchTransportSendProtocolLogPath: `${t}\\ProtocolLog\\SmtpSend`,
    msExchTransportConnectivityLogPath: `${t}\\Connectivity`,
    msExchTransportPickupDirectoryPath: role ? undefined : `${install}\\TransportRoles\\Pickup`,
    msExchTransportReplayDirectoryPath: role ? undefined : `${install}\\TransportRoles\\Replay`,
    msExchTransportPipelineTracingPath: `${t}\\PipelineTracing`,
    msExchTransportRoutingLogPath: `${t}\\Routing`,
  };
}

/** msExchCurrentServerRoles of an Edge Transport server (ServerRole.Edge). */
export const ROLE_EDGE = 64;
/**
 * msExchCurrentServerRoles of a 2019/SE Mailbox server: 16423 = Cafe, Mailbox, ClientAccess, HubTransport,
 * FrontendTransport (no UnifiedMessaging, removed in 2019), as a real 2019 CU7 setup log shows
 * (microsoft/CSS-Exchange Setup/Tests/PrerequisiteCheck/ExchangeSetup_ADUpdated_NoOrgMan.log).
 */
export const ROLES_2019_MAILBOX = 16423;
/** 2013 Mailbox / 2016 Mailbox: the same plus UnifiedMessaging (16439). */
export const ROLES_2016_MAILBOX = 16439;

/** msExchSmtpReceiveRole: the transport service that owns the connector (Exchange TransportRole). */
export const TRANSPORT_ROLE_HUB = 32;
export const TRANSPORT_ROLE_FRONTEND = 16384;

type PermissionGroup = 'AnonymousUsers' | 'ExchangeUsers' | 'ExchangeServers' | 'ExchangeLegacyServers' | 'Partners';
const EXCHANGE_SID_ARC = 'S-1-9-1419165041-1139599005-3936102811-1022490595';

/**
 * Exchange keeps a receive connector's PermissionGroups only in its ACL: allow ACEs
 * granting extended rights (Ms-Exch-SMTP-Submit etc.) to the group's principals.
 * The fixture grants plain CR to the same principals (see fixtures/schema/README.md).
 */
function connectorSddl(org: Org, groups: PermissionGroup[]): string {
  const principals: Record<PermissionGroup, string[]> = {
    AnonymousUsers: ['AN'], // S-1-5-7 ANONYMOUS LOGON
    ExchangeUsers: ['AU'], // S-1-5-11 Authenticated Users
    ExchangeServers: [`\${SID:${org.exchangeServersGroup}}`, `${EXCHANGE_SID_ARC}-21`], // + MS Exchange\Hub Transport Servers
    ExchangeLegacyServers: [`\${SID:${org.legacyInteropGroup}}`],
    Partners: [`${EXCHANGE_SID_ARC}-10`], // MS Exchange\Partner Servers
  };
  return 'O:DAG:DAD:AI(A;;RPWPCRCCDCLCLORCWOWDSDDTSW;;;DA)' + groups.flatMap((g) => principals[g]).map((sid) => `(A;;CR;;;${sid})`).join('');
}

// ---------------------------------------------------------------- contoso
function contoso(): Org {
  const o = new Org('Contoso', 'contoso.test');
  o.skeleton({ schemaVersion: 17003, orgVersion: 16763, mesoVersion: 13243, productId: '15.02.1748.010' });
  o.add(`OU=Mailboxes,${o.base}`, { objectClass: 'organizationalUnit' });
  o.adSite('Zurich', '10.0.2.0/24'); // the DAG spans two sites

  // --- Exchange 2003 SP2 in its own admin group, with routing group and connectors
  const fag = o.adminGroup('First Administrative Group', 0);
  o.add(`CN=Routing Groups,${fag}`, { objectClass: 'msExchRoutingGroupContainer' });
  const ex2003 = o.server({
    name: 'EX2003', adminGroup: 'legacy', product: 2003, serialNumber: 'Version 6.5 (Build 7638.2: Service Pack 2)', versionNumber: 7638,
    installPath: 'C:\\Program Files\\Exchsrvr', ip: '10.0.1.10', os: ['Windows Server 2003', '5.2 (3790)', 'Service Pack 2'],
  });
  const firstRg = o.routingGroup(fag, 'First Routing Group', ex2003);
  o.records.push({ dn: ex2003, attrs: { msExchHomeRoutingGroup: firstRg }, changetype: 'modify-replace' }); // server and routing group point at each other
  const sg2003 = o.storageGroup(ex2003, 'First Storage Group', { log: 'C:\\Program Files\\Exchsrvr\\mdbdata', system: 'C:\\Program Files\\Exchsrvr\\mdbdata', prefix: 'E00' });
  const pf2003 = o.sgDatabase(sg2003, ex2003, 'Public Folder Store (EX2003)', 'public', 'C:\\Program Files\\Exchsrvr\\mdbdata\\pub1.edb', 'C:\\Program Files\\Exchsrvr\\mdbdata\\pub1.stm');
  const mbx2003 = o.sgDatabase(sg2003, ex2003, 'Mailbox Store (EX2003)', 'mailbox', 'C:\\Program Files\\Exchsrvr\\mdbdata\\priv1.edb', 'C:\\Program Files\\Exchsrvr\\mdbdata\\priv1.stm', { publicFolders: pf2003 });
  o.add(`CN=Internet Mail SMTP Connector (EX2003),CN=Connections,${firstRg}`, {
    objectClass: 'msExchRoutingSMTPConnector', routingList: 'SMTP:*;1', msExchSmtpSmartHost: '[10.0.9.25]', msExchSourceBridgeheadServersDN: ex2003, deliveryMechanism: 2,
  });

  // --- 2007+ admin group
  o.modern();
  const modernRg = o.routingGroup(o.modernAg, 'Exchange Routing Group (DWBGZMFD01QNBJR)', null);
  const ex2007 = o.server({
    name: 'EX2007', adminGroup: 'modern', product: 2007, serialNumber: serial(8, 3, 83, 6), versionNumber: versionNumber(8, 3, 83), roles: 38,
    installPath: 'D:\\Exchange Server', ip: '10.0.1.20', os: ['Windows Server 2008 R2 Enterprise', '6.1 (7601)', 'Service Pack 1'],
  });
  o.add(`CN=First Routing Group to Exchange Routing Group,CN=Connections,${firstRg}`, {
    objectClass: 'msExchRoutingGroupConnector', cost: 1, msExchSourceBridgeheadServersDN: ex2003, msExchTargetBridgeheadServersDN: ex2007,
  });
  o.add(`CN=Exchange Routing Group to First Routing Group,CN=Connections,${modernRg}`, {
    objectClass: 'msExchRoutingGroupConnector', cost: 1, msExchSourceBridgeheadServersDN: ex2007, msExchTargetBridgeheadServersDN: ex2003,
  });
  const sg1 = o.storageGroup(ex2007, 'First Storage Group', { log: 'E:\\Logs\\SG1', system: 'E:\\Logs\\SG1', prefix: 'E00' });
  const sg2 = o.storageGroup(ex2007, 'SG2, Finance', { log: 'L:\\Logs\\SG2, Finance', system: 'L:\\Logs\\SG2, Finance', prefix: 'E01', circular: true });
  const sg3 = o.storageGroup(ex2007, 'SG3 Zürich', { log: 'E:\\Logs\\SG3', system: 'E:\\Logs\\SG3', prefix: 'E02' });
  const rsg = o.storageGroup(ex2007, 'Recovery Storage Group', { log: 'F:\\RSG\\Logs', system: 'F:\\RSG', prefix: 'R00', recovery: true });
  const pf2007 = o.sgDatabase(sg1, ex2007, 'Public Folder Database', 'public', 'D:\\Databases\\SG1\\Public Folder Database.edb');
  const mdb1 = o.sgDatabase(sg1, ex2007, 'Mailbox Database', 'mailbox', 'D:\\Databases\\SG1\\Mailbox Database.edb', undefined, { publicFolders: pf2007 });
  const mdbFin = o.sgDatabase(sg2, ex2007, 'Finance', 'mailbox', 'F:\\Databases\\SG2\\Finance.edb', undefined, { publicFolders: pf2007 });
  const mdbZh = o.sgDatabase(sg3, ex2007, 'Zürich Ärzte', 'mailbox', 'F:\\Databases\\SG3\\Zürich Ärzte.edb', undefined, { publicFolders: pf2007 });
  o.sgDatabase(rsg, ex2007, 'Mailbox Database (Recovery)', 'mailbox', 'F:\\RSG\\Mailbox Database.edb', undefined, { offline: true });
  o.receiveConnector(ex2007, 'Default EX2007', {
    bindings: ['0.0.0.0:25'], ranges: ['0.0.0.0-255.255.255.255'], fqdn: o.fqdn('EX2007'), security: 1 | 2 | 4 | 16,
    groups: ['ExchangeUsers', 'ExchangeServers', 'ExchangeLegacyServers'],
  });
  o.add(`CN=owa (Default Web Site),CN=HTTP,CN=Protocols,${ex2007}`, {
    objectClass: 'msExchOWAVirtualDirectory', msExchInternalHostName: `https://${o.fqdn('EX2007')}/owa`, msExchInternalAuthenticationMethods: 4,
    msExchMetabasePath: `IIS://${o.fqdn('EX2007')}/W3SVC/1/ROOT/owa`, msExchVersion: MSEXCHVERSION_2007,
  });

  // --- Exchange 2010 SP3 DAG
  // msExchFileShareWitness holds the witness share as a UNC path (Exchange's UncFileSharePath type);
  // fs01 has an A record in the AD zone, the alternate fs02 has none (a warning)
  const dag1 = o.dag('DAG1', {
    witness: '\\\\fs01.contoso.test\\DAG1.contoso.test', witnessDir: 'C:\\DAGFileShareWitnesses\\DAG1.contoso.test',
    altWitness: '\\\\fs02.contoso.test\\DAG1.contoso.test', altWitnessDir: 'C:\\DAGFileShareWitnesses\\DAG1.contoso.test', ips: ['10.0.1.50', '10.0.2.50'], dac: 1,
  });
  o.add(`DC=fs01,${o.zone}`, { objectClass: 'dnsNode', dnsRecord: aRecord('10.0.1.60') });
  const ex2010 = (n: string, ip: string, site?: string) => o.server({
    name: n, adminGroup: 'modern', product: 2010, serialNumber: serial(14, 3, 123, 4), versionNumber: versionNumber(14, 3, 123), roles: 38,
    installPath: 'C:\\Program Files\\Microsoft\\Exchange Server\\V14', ip, os: ['Windows Server 2008 R2 Enterprise', '6.1 (7601)', 'Service Pack 1'], dag: 'DAG1',
    ...(site ? { site } : {}),
  });
  const ex2010a = ex2010('EX2010A', '10.0.1.31');
  const ex2010b = ex2010('EX2010B', '10.0.2.32', 'Zurich');
  const db10a = o.database('DB2010-01', {
    master: dag1, owner: ex2010a, edb: 'E:\\Databases\\DB2010-01\\DB2010-01.edb', log: 'L:\\Logs\\DB2010-01', prefix: 'E00',
    copies: [{ server: ex2010a, pref: 1 }, { server: ex2010b, pref: 2 }],
  });
  const db10b = o.database('DB2010-02', {
    master: dag1, owner: ex2010b, edb: 'E:\\Databases\\DB2010-02\\DB2010-02.edb', log: 'L:\\Logs\\DB2010-02', prefix: 'E01',
    // a lagged copy: 7 days replay lag, 1 day truncation lag (stored in AD as seconds)
    copies: [{ server: ex2010b, pref: 1 }, { server: ex2010a, pref: 2, replayLag: 7 * 86400, truncationLag: 86400 }],
  });
  for (const [s, n] of [[ex2010a, 'EX2010A'], [ex2010b, 'EX2010B']] as const) o.receiveConnector(s, `Default ${n}`, {
    bindings: ['0.0.0.0:25'], ranges: ['0.0.0.0-255.255.255.255'], fqdn: o.fqdn(n), security: 1 | 2 | 4 | 16, groups: ['ExchangeUsers', 'ExchangeServers'],
  });

  // --- Exchange 2016 CU23 and 2019 CU15
  const ex2016 = o.server({
    name: 'EX2016', adminGroup: 'modern', product: 2016, serialNumber: serial(15, 1, 2507, 6), versionNumber: versionNumber(15, 1, 2507), roles: 16439,
    installPath: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15', ip: '10.0.1.40', os: ['Windows Server 2016 Standard', '10.0 (14393)', ''],
    cert: certificate('EX2016', ['EX2016', 'ex2016.contoso.test'], '20240115000000Z', '20290115000000Z'),
  });
  const ex2019 = o.server({
    name: 'EX2019', adminGroup: 'modern', product: 2019, serialNumber: serial(15, 2, 1748, 10), versionNumber: versionNumber(15, 2, 1748), roles: ROLES_2019_MAILBOX,
    frontendLogRoot: 'T:\\Exchange', // the front-end transport logs live on a drive nothing else uses
    installPath: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15', ip: '10.0.1.41', os: ['Windows Server 2019 Standard', '10.0 (17763)', ''],
    cert: certificate('EX2019', ['EX2019', 'ex2019.contoso.test'], '20250301000000Z', '20300301000000Z'),
  });
  const db16 = o.database('DB2016-01', { master: ex2016, owner: ex2016, edb: 'D:\\ExchangeDatabases\\DB2016-01\\DB2016-01.edb', log: 'D:\\ExchangeLogs\\DB2016-01', prefix: 'E00', copies: [{ server: ex2016, pref: 1 }] });
  const db19 = o.database('DB2019-01', { master: ex2019, owner: ex2019, edb: 'D:\\ExchangeDatabases\\DB2019-01\\DB2019-01.edb', log: 'D:\\ExchangeLogs\\DB2019-01', prefix: 'E00', circular: true, copies: [{ server: ex2019, pref: 1 }] });
  for (const [s, n] of [[ex2016, 'EX2016'], [ex2019, 'EX2019']] as const) {
    o.webServices(s, n, { internal: 'mail.contoso.test', external: 'mail.contoso.com' });
    o.defaultReceiveConnectors(s, n);
  }
  // POP3 and IMAP4: EX2016's carry certificate names (IMAP4 one the web names do not cover), EX2019's none (Exchange's default)
  o.popImap(ex2016, 'POP3', { certificateName: 'mail.contoso.com', external: ['mail.contoso.com:995:SSL'] });
  o.popImap(ex2016, 'IMAP4', { certificateName: 'imap.contoso.com', external: ['imap.contoso.com:993:SSL'] });
  o.popImap(ex2019, 'POP3');
  o.popImap(ex2019, 'IMAP4');
  o.receiveConnector(ex2019, 'Relay EX2019', {
    bindings: ['10.0.1.41:25'], ranges: ['10.0.20.15', '10.0.20.16', '10.0.30.0/24', '10.0.40.10-10.0.40.20'], fqdn: 'relay.contoso.test', security: 0,
    role: TRANSPORT_ROLE_FRONTEND, groups: ['AnonymousUsers', 'ExchangeServers'],
    tls: '<I>CN=Contoso Issuing CA 1, DC=contoso, DC=test<S>CN=relay.contoso.test', // msExchSmtpTLSCertificate (SmtpX509Identifier)
  });
  o.add(`CN=Internet,CN=Connections,${modernRg}`, {
    objectClass: 'msExchRoutingSMTPConnector', routingList: 'SMTP:*;1', msExchSmtpSmartHost: 'smtp.relay.contoso.example', msExchSmtpSendPort: 587,
    msExchSMTPSendConnectorFQDN: 'mail.contoso.com', msExchSmtpSendEnabled: true, msExchSourceBridgeheadServersDN: [ex2016, ex2019], msExchVersion: MSEXCHVERSION_2007,
    msExchSmtpTLSCertificate: '<I>CN=Contoso Issuing CA 1, DC=contoso, DC=test<S>CN=mail.contoso.com',
  });
  // --- Exchange 2016 CU23 Edge Transport, subscribed to the default site (no computer account: not a domain member)
  const edge = o.server({
    name: 'EDGE01', adminGroup: 'modern', product: 2016, serialNumber: serial(15, 1, 2507, 6), versionNumber: versionNumber(15, 1, 2507), roles: ROLE_EDGE,
    installPath: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15', ip: '10.0.9.30', os: null,
  });
  // the Send connector New-EdgeSubscription creates to the Internet (Microsoft, "EdgeSync and Send Connectors":
  // name "EdgeSync - <Site Name> to Internet", address space SMTP:*;100, the Edge Subscription as source server, DNS routing)
  o.add(`CN=EdgeSync - ${o.siteName} to Internet,CN=Connections,${modernRg}`, {
    objectClass: 'msExchRoutingSMTPConnector', routingList: 'SMTP:*;100', msExchSmtpSendEnabled: true,
    msExchSourceBridgeheadServersDN: [edge], msExchVersion: MSEXCHVERSION_2007,
  });

  // --- Exchange 2007 SP3 clustered mailbox server (CCR) on two nodes
  const cms = o.server({
    name: 'EXCMS01', adminGroup: 'modern', product: 2007, serialNumber: serial(8, 3, 83, 6), versionNumber: versionNumber(8, 3, 83), roles: 2,
    installPath: 'C:\\Program Files\\Microsoft\\Exchange Server', ip: '10.0.1.25', os: ['Windows Server 2008 Enterprise', '6.0 (6002)', 'Service Pack 2'],
    cluster: { storageType: 1, nodes: ['EXCMS01-N1', 'EXCMS01-N2'] },
  });
  const cmsSg = o.storageGroup(cms, 'SG1 CMS', { log: 'G:\\Logs\\SG1 CMS', system: 'G:\\Logs\\SG1 CMS', prefix: 'E00' });
  const cmsDb = o.sgDatabase(cmsSg, cms, 'CMS Mailbox Database', 'mailbox', 'H:\\Databases\\SG1 CMS\\CMS Mailbox Database.edb');

  // --- the Scripting Agent is enabled in this organization (recovery must disable it first)
  o.cmdletExtensionAgent('Scripting Agent', true);
  // the OAuth certificate, with its successor staged (Set-AuthConfig -NewCertificateThumbprint)
  o.authConfig({ current: 'contoso-auth', next: 'contoso-auth-next' }, 'contoso.test');

  o.acceptedDomain('contoso.test', 4); // Authoritative + default
  o.acceptedDomain('partner.contoso.test', 2); // InternalRelay
  o.add(`DC=mail,${o.zone}`, { objectClass: 'dnsNode', dnsRecord: [aRecord('10.0.1.40'), aRecord('10.0.1.41')] });
  o.add(`DC=autodiscover,${o.zone}`, { objectClass: 'dnsNode', dnsRecord: aRecord('10.0.1.40') });

  // --- mailboxes: a handful per database
  o.mailboxes(mbx2003, ex2003, 3, 'Legacy User');
  o.mailboxes(mdb1, ex2007, 4, 'Sales User');
  o.mailboxes(mdbFin, ex2007, 3, 'Finance User', ['Müller, Jürgen', 'O\'Brien, Siobhán', 'Finance Controller']);
  o.mailboxes(mdbZh, ex2007, 2, 'Zurich User', ['Ärztin Zoë', 'Dr. Søren Ødegård']);
  o.mailboxes(db10a, ex2010a, 5, 'Ops User');
  o.mailboxes(db10b, ex2010b, 4, 'Support User');
  o.mailboxes(db16, ex2016, 3, 'IT User');
  o.mailboxes(db19, ex2019, 6, 'HR User');
  o.mailboxes(cmsDb, cms, 2, 'Cluster User');
  return o;
}

// ---------------------------------------------------------------- fabrikam
function fabrikam(): Org {
  const o = new Org('Fabrikam', 'fabrikam.test');
  o.skeleton({ schemaVersion: 17003, orgVersion: 16763, mesoVersion: 13243, productId: '15.02.2562.017' });
  o.add(`OU=Mailboxes,${o.base}`, { objectClass: 'organizationalUnit' });
  o.modern();
  const rg = o.routingGroup(o.modernAg, 'Exchange Routing Group (DWBGZMFD01QNBJR)', null);
  const dag = o.dag('FAB-DAG', { witness: '\\\\fab-fs01.fabrikam.test\\FAB-DAG.fabrikam.test', witnessDir: 'C:\\DAGFileShareWitnesses\\FAB-DAG.fabrikam.test', ips: [], dac: 1 });
  const win2019: [string, string, string] = ['Windows Server 2019 Datacenter', '10.0 (17763)', ''];
  const win2022: [string, string, string] = ['Windows Server 2022 Datacenter', '10.0 (20348)', ''];
  const mk = (name: string, over: Partial<ServerSpec>) => o.server({
    name, adminGroup: 'modern', product: 2019, serialNumber: serial(15, 2, 1748, 10), versionNumber: versionNumber(15, 2, 1748), roles: ROLES_2019_MAILBOX,
    installPath: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15', ip: null, os: win2019, dag: 'FAB-DAG', ...over,
  });
  const mbx1 = mk('FAB-MBX1', {
    ip: '10.20.0.11', cert: certificate('FAB-MBX1', ['FAB-MBX1', 'fab-mbx1.fabrikam.test'], '20250601000000Z', '20300601000000Z'),
  });
  // an object class the harvester does not read, under a server: must surface as a warning
  o.add(`CN=Monitoring Settings,${mbx1}`, { objectClass: 'msExchMonitoringSettings' });
  // expired internal transport certificate
  // a security update stamped its own build into serialNumber: 2019 CU12 Feb23SU (15.2.1118.25), CU12 itself is 15.2.1118.7
  const mbx2 = mk('FAB-MBX2', { serialNumber: 'Version 15.2 (Build 31118.25)', versionNumber: versionNumber(15, 2, 1118), ip: '10.20.0.12', cert: certificate('FAB-MBX2', ['FAB-MBX2', 'fab-mbx2.fabrikam.test'], '20190301000000Z', '20240301000000Z') });
  // Exchange SE RTM on Windows Server 2022; no A record in the AD zone
  const se1 = mk('FAB-SE1', {
    product: 'SE', serialNumber: serial(15, 2, 2562, 17), versionNumber: versionNumber(15, 2, 2562), ip: null, os: win2022,
    installPath: 'D:\\Program Files\\Microsoft\\Exchange Server\\V15',
    cert: certificate('FAB-SE1', ['FAB-SE1', 'fab-se1.fabrikam.test'], '20250801000000Z', '20300801000000Z'),
  });
  // unknown build, unknown role bit (1 << 25) and no computer account
  const mbx3 = mk('FAB-MBX3', { serialNumber: 'Version 15.2 (Build 39999.1)', versionNumber: versionNumber(15, 2, 9999), roles: ROLES_2019_MAILBOX | (1 << 25), ip: '10.20.0.13', os: null, dag: undefined });
  const bigDb = o.database('FAB-DB01', {
    master: dag, owner: mbx1, edb: 'E:\\ExchangeVolumes\\FAB-DB01\\FAB-DB01.edb', log: 'L:\\ExchangeVolumes\\FAB-DB01\\Logs', prefix: 'E00',
    copies: [{ server: mbx1, pref: 1 }, { server: mbx2, pref: 2 }, { server: se1, pref: 3, replayLag: 7 * 86400 }],
  });
  const db2 = o.database('FAB-DB02', {
    master: dag, owner: mbx2, edb: 'E:\\ExchangeVolumes\\FAB-DB02\\FAB-DB02.edb', log: 'L:\\ExchangeVolumes\\FAB-DB02\\Logs', prefix: 'E01',
    copies: [{ server: mbx2, pref: 1 }, { server: mbx1, pref: 2 }],
  });
  const db3 = o.database('FAB-DB03', { master: mbx3, owner: mbx3, edb: 'D:\\DB\\FAB-DB03.edb', log: 'D:\\DB\\Logs', prefix: 'E02', copies: [{ server: mbx3, pref: 1 }] });
  o.database('FAB-RDB01', { master: mbx1, owner: mbx1, edb: 'R:\\Recovery\\FAB-RDB01.edb', log: 'R:\\Recovery\\Logs', prefix: 'E03', recovery: true, offline: true, copies: [{ server: mbx1, pref: 1 }] });
  for (const [s, n] of [[mbx1, 'FAB-MBX1'], [mbx2, 'FAB-MBX2'], [se1, 'FAB-SE1'], [mbx3, 'FAB-MBX3']] as const) {
    o.webServices(s, n, { internal: 'mail.fabrikam.test', external: n === 'FAB-MBX3' ? null : 'mail.fabrikam.com' });
    o.defaultReceiveConnectors(s, n);
  }
  o.add(`CN=Outbound to Internet,CN=Connections,${rg}`, {
    objectClass: 'msExchRoutingSMTPConnector', routingList: ['SMTP:*;1'], msExchSmtpSendPort: 25, msExchSMTPSendConnectorFQDN: 'mail.fabrikam.com',
    msExchSmtpSendEnabled: true, msExchSourceBridgeheadServersDN: [mbx1, mbx2], msExchVersion: MSEXCHVERSION_2007,
  });
  o.add(`CN=Partner TLS,CN=Connections,${rg}`, {
    objectClass: 'msExchRoutingSMTPConnector', routingList: ['SMTP:partner.example;1', 'SMTP:*.partner.example;2'], msExchSmtpSmartHost: 'mx.partner.example',
    msExchSmtpSendPort: 25, msExchSmtpSendEnabled: false, msExchSourceBridgeheadServersDN: [se1], msExchVersion: MSEXCHVERSION_2007,
  });
  o.cmdletExtensionAgent('Scripting Agent', false); // present and disabled, as setup leaves it
  // rotated once: the old certificate is still the previous one
  o.authConfig({ current: 'fabrikam-auth', previous: 'fabrikam-auth-previous' }, 'fabrikam.test');
  o.acceptedDomain('fabrikam.test', 4);
  o.acceptedDomain('fabrikam.example', 1); // ExternalRelay
  o.add(`DC=mail,${o.zone}`, { objectClass: 'dnsNode', dnsRecord: [aRecord('10.20.0.11'), aRecord('10.20.0.12')] });
  // > 1,500 mailboxes on one database: homeMDBBL needs ranged retrieval, and > 1,000 users need paging
  o.mailboxes(bigDb, mbx1, 1600, 'Staff');
  o.mailboxes(db2, mbx2, 12, 'Exec');
  o.mailboxes(db3, mbx3, 2, 'Lab');
  return o;
}

const HEADER = (o: Org) => `# Generated by scripts/dc-gen-orgs.ts — do not edit by hand.
# Exchange organization "${o.name}" in forest ${o.domain}, for the exbinder test DC (test/dc/samba.ts).
# Load with ldbmodify (changetype records) after fixtures/schema/*.ldif. \${SID:<dn>} is resolved by the loader.

`;

/** The fixture org files as this generator makes them (a test checks the committed ones match). */
export function generatedOrgFiles(): { file: string; text: string; records: number }[] {
  return [contoso(), fabrikam()].map((o) => ({
    file: join(OUT, `${o.domain.split('.')[0]}.ldif`), text: HEADER(o) + ldif(o.records), records: o.records.length,
  }));
}

// scripts/gen-large-org.ts imports the writer and the Org builder: generate only when run directly
if (resolve(process.argv[1] ?? '') === import.meta.filename) {
  for (const { file, text, records } of generatedOrgFiles()) {
    writeFileSync(file, text);
    console.log(`wrote ${records} records to ${file}`);
  }
}
