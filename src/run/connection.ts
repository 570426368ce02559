/**
 * Turns connection settings (from flags, environment or a config file) into
 * an open Directory. Validation lives here so every command that reads AD
 * (harvest, snapshot) says the same thing about the same mistake.
 */
import { ExbinderError } from '../errors.js';
import { openLdap, openLdif, resolvePassword, type Directory } from '../source/index.js';

export interface ConnectionSettings {
  /** one DC, or several tried in order */
  url?: string | string[];
  ldif?: string[];
  /** find the DCs of this AD domain by DNS SRV records instead of --url */
  domain?: string;
  site?: string;
  dnsServers?: string[];
  /** with --domain: ldaps (default) or ldap (StartTLS, or sign+seal with Kerberos) */
  transport?: 'ldaps' | 'ldap';
  /** simple (default): --bind-dn + password; kerberos: ticket cache or --keytab */
  auth?: 'simple' | 'kerberos';
  keytab?: string;
  principal?: string;
  bindDn?: string;
  passwordFile?: string;
  caFile?: string;
  /** ldap:// only: false sends the bind without TLS (a hardened DC refuses it) */
  startTls?: boolean;
  insecure?: boolean;
  timeoutSeconds?: number;
  /** to open the connection to each DC (TCP, TLS, StartTLS); default 10 */
  connectTimeoutSeconds?: number;
  /** false: leave replPropertyMetaData out of the harvest (--no-repl-metadata) */
  replMetadata?: boolean;
}

export interface ConnectionIo {
  warn: (line: string) => void;
  isTTY: boolean;
}

export async function openDirectory(s: ConnectionSettings, io: ConnectionIo): Promise<Directory> {
  const urls = s.url === undefined ? [] : Array.isArray(s.url) ? s.url : [s.url];
  if ((urls.length || s.domain) && s.ldif?.length) throw usage(`give either ${s.domain ? '--domain' : '--url'} or --ldif, not both`);
  if (s.ldif?.length) return openLdif(s.ldif, { onWarning: io.warn });
  if (urls.length && s.domain) throw usage('give either --url or --domain, not both');
  if (!urls.length && !s.domain) {
    throw usage('nothing to harvest: give --url ldaps://DC (or ldap://DC with StartTLS), --domain DNSNAME, or --ldif EXPORT.ldf');
  }
  const schemes = new Set<string>();
  for (const url of urls) {
    const scheme = /^(ldaps?):\/\//i.exec(url)?.[1]?.toLowerCase();
    if (!scheme) throw usage(`--url ${url} is not an LDAP URL: use ldaps://dc.example.com or ldap://dc.example.com`);
    schemes.add(scheme);
  }
  if (!s.domain && (s.site || s.dnsServers?.length || s.transport)) throw usage('--site, --dns-server and --transport go with --domain');
  const auth = s.auth ?? 'simple';
  if (auth !== 'simple' && auth !== 'kerberos') throw usage(`--auth ${String(auth)}: use simple or kerberos`);
  const ldapPort = s.domain ? s.transport === 'ldap' : schemes.has('ldap');
  if (auth === 'kerberos') {
    if (s.passwordFile) throw usage('--auth kerberos takes no password file: it uses the ticket cache (kinit) or --keytab FILE');
    if (s.bindDn) throw usage('--auth kerberos takes no --bind-dn: the identity is the Kerberos principal (--principal user@REALM)');
  } else {
    if (s.keytab || s.principal) throw usage('--keytab and --principal go with --auth kerberos');
    if (!s.bindDn) throw usage('--bind-dn is required with --url or --domain (a DN, user@domain or DOMAIN\\user), or use --auth kerberos');
  }
  const password =
    auth === 'simple' ? await resolvePassword({ passwordFile: s.passwordFile, isTTY: io.isTTY, user: s.bindDn, onWarning: io.warn }) : undefined;
  // ldap:// means StartTLS for simple binds unless --no-starttls; Kerberos on ldap:// seals instead
  // (openLdap warns about --insecure and clear-text binds itself)
  const startTls = ldapPort && auth === 'simple' && s.startTls !== false;
  return openLdap({
    ...(urls.length ? { urls } : {}),
    ...(s.domain ? { domain: s.domain, site: s.site, dnsServers: s.dnsServers, scheme: s.transport ?? 'ldaps' } : {}),
    startTls,
    insecurePlain: ldapPort && auth === 'simple' && !startTls,
    auth,
    ...(s.bindDn ? { bindDn: s.bindDn } : {}),
    ...(password ? { password } : {}),
    ...(s.keytab ? { keytab: s.keytab } : {}),
    ...(s.principal ? { principal: s.principal } : {}),
    caFile: s.caFile,
    insecure: s.insecure ?? false,
    timeoutMs: (s.timeoutSeconds ?? 120) * 1000,
    connectTimeoutMs: (s.connectTimeoutSeconds ?? 10) * 1000,
    onWarning: io.warn,
  });
}

function usage(message: string): ExbinderError {
  return new ExbinderError(message, 'usage', 2);
}
