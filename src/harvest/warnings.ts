/**
 * Harvest warnings: anything unexpected becomes one of these (never a crash,
 * never silently dropped) and lands in metadata.warnings for the binder's
 * control page. Codes are stable: tests, the diff and the binder key on them.
 */
import type { Warning } from '../snapshot/model.js';

export type WarningCode =
  | 'unknown-build'
  | 'unknown-role-bit'
  | 'unknown-auth-bit'
  | 'unknown-object-class'
  | 'unknown-schema-version'
  | 'su-stamped-serial'
  | 'no-computer-account'
  | 'no-fqdn'
  | 'not-in-ad-dns'
  | 'dns-record-unreadable'
  | 'cert-expired'
  | 'cert-expiring'
  | 'cert-unreadable'
  | 'permissions-unreadable'
  | 'unreadable-container'
  | 'missing-data'
  | 'multiple-organizations'
  | 'orphan-object'
  // recovery needs care (the runbook prints the matching steps)
  | 'scripting-agent-enabled'
  | 'recovery-storage-group'
  | 'recovery-database'
  | 'witness-not-in-ad-dns'
  | 'clustered-mailbox-server'
  | 'meso-behind'
  | 'domain-not-prepared';

export class Warnings {
  readonly list: Warning[] = [];

  add(code: WarningCode, message: string, dn: string | null = null): void {
    this.list.push({ code, message, dn });
  }
}
