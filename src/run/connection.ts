/**
 * Turns connection settings (from flags, environment or a config file) into
 * an open Directory. Validation lives here so every command that reads AD
 * (harvest, snapshot) says the same thing about the same mistake.
 */
import { ExbinderError } from '../errors.js';
import { openLdap, openLdif, resolvePassword, type Directory } from '../source/index.js';

export interface ConnectionSettings {
  url?: string;
  ldif?: string[];
  bindDn?: string;
  passwordFile?: string;
  caFile?: string;
  /** ldap:// only: false sends the bind without TLS (a hardened DC refuses it) */
  startTls?: boolean;
  insecure?: boolean;
  timeoutSeconds?: number;
  /** false: leave replPropertyMetaData out of the harvest (--no-repl-metadata) */
  replMetadata?: boolean;
}

export interface ConnectionIo {
  warn: (line: string) => void;
  isTTY: boolean;
}

export async function openDirectory(s: ConnectionSettings, io: ConnectionIo): Promise<Directory> {
  if (s.url && s.ldif?.length) throw usage('give either --url or --ldif, not both');
  if (s.ldif?.length) return openLdif(s.ldif, { onWarning: io.warn });
  if (!s.url) throw usage('nothing to harvest: give --url ldaps://DC (or ldap://DC with StartTLS), or --ldif EXPORT.ldf');
  const scheme = /^(ldaps?):\/\//i.exec(s.url)?.[1]?.toLowerCase();
  if (!scheme) throw usage(`--url ${s.url} is not an LDAP URL: use ldaps://dc.example.com or ldap://dc.example.com`);
  if (!s.bindDn) throw usage('--bind-dn is required with --url (a DN, user@domain or DOMAIN\\user)');
  const password = await resolvePassword({ passwordFile: s.passwordFile, isTTY: io.isTTY, user: s.bindDn, onWarning: io.warn });
  // ldap:// means StartTLS unless --no-starttls; openLdap warns about --insecure and clear-text binds itself
  const startTls = scheme === 'ldap' && s.startTls !== false;
  return openLdap({
    url: s.url,
    startTls,
    insecurePlain: scheme === 'ldap' && !startTls,
    bindDn: s.bindDn,
    password,
    caFile: s.caFile,
    insecure: s.insecure ?? false,
    timeoutMs: (s.timeoutSeconds ?? 120) * 1000,
    onWarning: io.warn,
  });
}

function usage(message: string): ExbinderError {
  return new ExbinderError(message, 'usage', 2);
}
