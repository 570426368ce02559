/**
 * Every reason an ExbinderError can carry, by where it comes from. Scripts
 * and tests match on these; a new one is added here, and the compiler
 * refuses a code that is not listed.
 */
export type ExbinderCode =
  // the directory (LDAP): see DirectoryReason in source/directory.ts for what the harvest makes of them
  | 'ldap-url' | 'ldap-bind-dn' | 'ldap-options' | 'ldap-unreachable' | 'ldap-credentials' | 'ldap-strong-auth'
  | 'ldap-access' | 'ldap-no-such-object' | 'ldap-timeout' | 'ldap-limit' | 'ldap-unavailable' | 'ldap-referral' | 'ldap-connection-lost'
  | 'ldap-closed' | 'ldap-wrong-port' | 'ldap-range' | 'ldap-plain' | 'ldap-rootdse' | 'ldap-error'
  | 'tls-handshake' | 'tls-hostname' | 'tls-verify' | 'tls-starttls' | 'ca-file'
  | 'no-password' | 'password-file' | 'cancelled' | 'dc-discovery'
  | 'kerberos-layer' | 'kerberos-sasl-over-tls' | 'kerberos-no-credentials' | 'kerberos-clock-skew' | 'kerberos-unknown-spn'
  | 'kerberos-kdc-unreachable' | 'kerberos-principal-unknown' | 'kerberos-bad-key' | 'kerberos-account-disabled'
  | 'kerberos-library-missing' | 'kerberos-other'
  // LDIF exports and what both sources parse
  | 'ldif-read' | 'ldif-syntax' | 'ldif-encoding' | 'ldif-rootdse' | 'ldif-no-config'
  | 'dn-syntax' | 'filter-syntax' | 'filter-unsupported'
  // the harvest
  | 'no-exchange-org' | 'insufficient-access'
  // snapshots and the store
  | 'snapshot-read' | 'snapshot-id' | 'snapshot-json' | 'snapshot-too-new' | 'snapshot-invalid' | 'snapshot-migration' | 'snapshot-unknown' | 'snapshot-ambiguous'
  | 'store-open' | 'store-empty' | 'store-missing' | 'store-locked' | 'store-locked-stale' | 'store-git' | 'store-organization' | 'store-foreign-org' | 'bad-keep' | 'interrupted'
  // writing files: 'write-target', or the errno that stopped the write ('write-enospc', 'write-eacces', …)
  | `write-${string}`
  // rendering
  | 'supplement-unreadable' | 'supplement-invalid' | 'templates-missing' | 'template-invalid' | 'unknown-server'
  // the command line and the job's configuration
  | 'usage' | 'demo-out' | 'inventory-read' | 'inventory-syntax' | 'inventory-invalid' | 'config-read' | 'config-syntax' | 'config-invalid' | 'config-password';

/**
 * The one error type users see. Every stage throws it for bad input or an
 * unreachable/refusing directory; the CLI prints `message` as one line and
 * exits with `exitCode`. Anything else escaping to the CLI is a bug.
 */
export class ExbinderError extends Error {
  constructor(
    message: string,
    /** short machine-readable reason, e.g. 'tls-verify', 'ldif-syntax' */
    readonly code: ExbinderCode,
    /** process exit code; 2 = error (as diff(1)) */
    readonly exitCode = 2,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ExbinderError';
  }
}

/** Why a file could not be opened, in words rather than errno names. */
function unreadableReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ENOTFILE') return 'not a regular file';
  return err instanceof Error ? err.message : String(err);
}

/**
 * The one wording for every input file exbinder cannot read (snapshot, config,
 * supplement, LDIF, CA, password file): what, which path, why, and the fix.
 */
export function unreadableInput(what: string, path: string, err: unknown, fix: string, code: ExbinderCode): ExbinderError {
  return new ExbinderError(`cannot read ${what} ${path} (${unreadableReason(err)}): ${fix}`, code, 2, { cause: err });
}
