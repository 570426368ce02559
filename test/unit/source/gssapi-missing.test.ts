/** Without the MIT GSSAPI library, --auth kerberos says which package to install (one line, exit 2). */
import { describe, expect, it } from 'vitest';
import { ExbinderError } from '../../../src/errors.js';
import { openLdap } from '../../../src/source/ldap.js';

describe('GSSAPI library missing', () => {
  it('names the package, before any connection', async () => {
    process.env['EXBINDER_GSSAPI_LIBRARY'] = '/nonexistent/libgssapi_krb5.so.2';
    // port 1 on loopback: a connection attempt would fail differently (refused)
    const err = await openLdap({ url: 'ldap://localhost:1', auth: 'kerberos' }).catch((e: unknown) => e);
    delete process.env['EXBINDER_GSSAPI_LIBRARY'];
    expect(err).toBeInstanceOf(ExbinderError);
    expect((err as ExbinderError).code).toBe('kerberos-library-missing');
    expect((err as ExbinderError).message).toMatch(/^Kerberos needs the MIT GSSAPI library \(libgssapi_krb5\.so\.2\): install libgssapi-krb5-2 \(Debian\/Ubuntu\) or krb5-libs \(RHEL\)/);
    expect((err as ExbinderError).message).not.toContain('\n');
  });
});
