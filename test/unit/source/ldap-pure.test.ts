/**
 * The pure parts of the LDAP source: URL/transport validation, range keys,
 * and error messages for failures a test DC cannot produce on demand
 * (AD's bind sub-codes, referrals, busy DCs). Everything a real DC or a
 * real socket can produce is tested in test/integration/source.
 */
import {
  BusyError,
  InsufficientAccessError,
  InvalidCredentialsError,
  NoSuchObjectError,
  StrongAuthRequiredError,
  TimeLimitExceededError,
  UnavailableError,
  UnknownStatusCodeError,
} from 'ldapts';
import { describe, expect, it } from 'vitest';
import { ExbinderError } from '../../../src/errors.js';
import { directoryReason } from '../../../src/source/directory.js';
import { type ErrorContext, adBindReason, mapLdapError } from '../../../src/source/ldap-errors.js';
import { openLdap, parseRangeKey, parseTarget } from '../../../src/source/ldap.js';

const ctx: ErrorContext = {
  where: 'dc1.contoso.com:636',
  host: 'dc1.contoso.com',
  port: 636,
  secure: 'ldaps',
  phase: 'bind',
  bindDn: 'reader@contoso.com',
  timeoutMs: 120000,
  connectTimeoutMs: 10000,
  password: 'Pa$$w0rd-secret',
};

describe('parseTarget', () => {
  it('defaults ports and describes the target without credentials', () => {
    expect(parseTarget({ url: 'ldaps://dc1.contoso.com' })).toMatchObject({
      host: 'dc1.contoso.com',
      port: 636,
      secure: 'ldaps',
      description: 'ldaps://dc1.contoso.com:636',
    });
    expect(parseTarget({ url: 'LDAP://DC1.contoso.com', startTls: true })).toMatchObject({
      port: 389,
      secure: 'starttls',
      description: 'ldap://dc1.contoso.com:389 (StartTLS)',
    });
    expect(parseTarget({ url: 'ldaps://[::1]:6360' })).toMatchObject({ host: '::1', port: 6360, where: '[::1]:6360' });
  });

  it('refuses plain LDAP unless explicitly allowed', () => {
    expect(() => parseTarget({ url: 'ldap://dc1.contoso.com' })).toThrow(
      'ldap://dc1.contoso.com would send the password unencrypted: use ldaps://dc1.contoso.com, or ldap:// without --no-starttls (StartTLS), or --auth kerberos (which seals)',
    );
    expect(parseTarget({ url: 'ldap://dc1.contoso.com', insecurePlain: true }).secure).toBe('plain');
  });

  it('refuses credentials, paths and other schemes in the URL, without echoing secrets', () => {
    let err: unknown;
    try {
      parseTarget({ url: 'ldaps://admin:Secret1@dc1.contoso.com' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExbinderError);
    expect((err as Error).message).not.toContain('Secret1');
    expect(() => parseTarget({ url: 'https://dc1' })).toThrow(/scheme must be ldaps/);
    expect(() => parseTarget({ url: 'ldaps://dc1/DC=contoso,DC=com' })).toThrow(/only scheme, host and port/);
    expect(() => parseTarget({ url: 'ldaps://dc1', startTls: true })).toThrow(/StartTLS \(startTls in the config\) goes with ldap:\/\//);
    expect(() => parseTarget({ url: 'dc1.contoso.com' })).toThrow(/invalid --url/);
  });

  it('openLdap refuses an empty password before connecting (AD would bind anonymously)', async () => {
    const e = await openLdap({ url: 'ldaps://192.0.2.1', bindDn: 'x@y', password: '' }).catch((x: unknown) => x);
    expect((e as ExbinderError).code).toBe('no-password');
  });

  it('openLdap checks option bounds and the CA file before connecting', async () => {
    const e1 = await openLdap({ url: 'ldaps://192.0.2.1', bindDn: 'x@y', password: 'p', pageSize: 5000 }).catch((x: unknown) => x);
    expect((e1 as Error).message).toBe('--page-size must be an integer from 1 to 1000, got 5000');
    const e2 = await openLdap({ url: 'ldaps://192.0.2.1', bindDn: 'x@y', password: 'p', caFile: '/nonexistent/ca.pem' }).catch((x: unknown) => x);
    expect((e2 as Error).message).toBe('cannot read CA file /nonexistent/ca.pem (no such file): check --ca-file');
  });
});

describe('parseRangeKey', () => {
  it('reads AD range windows', () => {
    expect(parseRangeKey('homeMDBBL;range=0-1499')).toEqual({ name: 'homemdbbl', lo: 0, hi: 1499 });
    expect(parseRangeKey('member;range=1500-*')).toEqual({ name: 'member', lo: 1500, hi: '*' });
    expect(parseRangeKey('cn')).toBeNull();
  });
});

describe('mapLdapError for results a test DC cannot produce', () => {
  it('explains AD bind sub-codes', () => {
    const e = mapLdapError(
      new InvalidCredentialsError('80090308: LdapErr: DSID-0C090447, comment: AcceptSecurityContext error, data 775, v3839\u0000 Code: 0x31'),
      ctx,
    );
    expect(e.code).toBe('ldap-credentials');
    expect(e.message).toBe(
      'bind as reader@contoso.com to dc1.contoso.com:636 failed: invalid credentials (AD data 775: account locked out): check the user (DN, user@domain or DOMAIN\\user) and the password',
    );
    expect(adBindReason('… data 52e, v4563')).toBe('AD data 52e: wrong password');
  });

  it('referral and busy', () => {
    expect(mapLdapError(new UnknownStatusCodeError(10, 'referral'), { ...ctx, phase: 'search', base: 'DC=other,DC=com' }).message).toBe(
      'dc1.contoso.com:636 does not hold DC=other,DC=com (referral): point --url at a DC of the forest root domain',
    );
    expect(mapLdapError(new BusyError('busy'), ctx).code).toBe('ldap-unavailable');
  });

  it('gives every failure a Directory reason the harvest can decide on (RFC 4511 result codes, socket errors)', () => {
    const search = { ...ctx, phase: 'search' as const, base: 'CN=x,DC=contoso,DC=com' };
    const errno = (code: string) => Object.assign(new Error(code), { code });
    const cases: [unknown, ErrorContext, string, string][] = [
      [new NoSuchObjectError('0000208D: NameErr: DSID-0310028D, problem 2001 (NO_OBJECT)'), search, 'no-such-object', 'ldap-no-such-object'],
      [new InsufficientAccessError('00002098: SecErr'), search, 'access-denied', 'ldap-access'],
      [new UnknownStatusCodeError(10, 'referral'), search, 'referral', 'ldap-referral'],
      [new BusyError('busy'), search, 'busy', 'ldap-unavailable'],
      [new UnavailableError('unavailable'), search, 'unavailable', 'ldap-unavailable'],
      [new TimeLimitExceededError('time'), search, 'timeout', 'ldap-timeout'],
      [new StrongAuthRequiredError('00002028: LdapErr'), ctx, 'auth', 'ldap-strong-auth'],
      [new InvalidCredentialsError('data 52e'), ctx, 'auth', 'ldap-credentials'],
      [errno('ECONNREFUSED'), { ...ctx, phase: 'connect' }, 'unreachable', 'ldap-unreachable'],
      [errno('DEPTH_ZERO_SELF_SIGNED_CERT'), { ...ctx, phase: 'connect' }, 'tls', 'tls-verify'],
      [errno('EPIPE'), search, 'connection-lost', 'ldap-connection-lost'],
      [new Error('something new'), search, 'other', 'ldap-error'],
    ];
    for (const [err, c, reason, code] of cases) {
      const e = mapLdapError(err, c);
      expect([directoryReason(e), e.code], String(err)).toEqual([reason, code]);
    }
    expect(directoryReason(new ExbinderError('not from a source', 'usage'))).toBeNull();
  });

  it('never shows the password, even if a server echoed it', () => {
    const e = mapLdapError(new Error(`weird failure mentioning ${ctx.password}\nsecond line`), ctx);
    expect(e.message).not.toContain(ctx.password);
    expect(e.message).not.toContain('\n');
    expect(e.message).toBe('LDAP bind on dc1.contoso.com:636 failed: weird failure mentioning *** second line');
  });
});

describe('parseTarget suggestions', () => {
  it('suggests ldaps on its own port, not on the LDAP port given', () => {
    expect(() => parseTarget({ url: 'ldap://dc1.contoso.com:389' })).toThrow(
      'ldap://dc1.contoso.com:389 would send the password unencrypted: use ldaps://dc1.contoso.com, or ldap:// without --no-starttls (StartTLS), or --auth kerberos (which seals)',
    );
  });
});
