/**
 * Public surface of the source stage: where directory data comes from.
 * Harvest code imports from here (types, DN helpers) and never from ldapts.
 */
export type { Directory, Entry, RootDse, Scope, SearchRequest } from './directory.js';
export { all, first, firstBinary, searchAll } from './directory.js';
export {
  type Ava,
  type Rdn,
  dnKeys,
  escapeDnValue,
  formatDn,
  isChildOf,
  isUnder,
  normalizeDn,
  parentDn,
  parseDn,
  rdnType,
  rdnValue,
  sameDn,
} from '../dn.js';
export { type LdapDirectory, type LdapOptions, openLdap, RANGE_WINDOW } from './ldap.js';
export { type LdifDirectory, type LdifOptions, openLdif } from './ldif.js';
export { PASSWORD_ENV, type PasswordSources, promptHidden, resolvePassword } from './credentials.js';
