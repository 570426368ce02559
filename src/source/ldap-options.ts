/** Bounds and defaults of the LDAP source's numeric options. */
import { ExbinderError } from '../errors.js';

/** AD's default MaxPageSize */
export const PAGE_SIZE_MAX = 1000;
export const CONNECT_TIMEOUT_DEFAULT_MS = 10_000;
export const TIMEOUT_DEFAULT_MS = 120_000;

/** Integer option within bounds, with a message naming the option. */
export function bounded(name: string, value: number | undefined, dflt: number, min: number, max: number): number {
  const v = value ?? dflt;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new ExbinderError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`, 'ldap-options');
  }
  return v;
}

export function stderrWarning(msg: string): void {
  process.stderr.write(`exbinder: warning: ${msg}\n`);
}
