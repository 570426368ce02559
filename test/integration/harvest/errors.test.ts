/**
 * Accounts that cannot see the Exchange organization get one clear line and
 * exit code 2, never a partial snapshot.
 */
import { describe, expect, it } from 'vitest';
import { ExbinderError } from '../../../src/errors.js';
import { contoso, harvestLive } from './helpers.js';

const dc = contoso();

describe('harvest errors', () => {
  it('an account denied read on CN=Microsoft Exchange: insufficient access, one line, exit 2', async () => {
    const err = await harvestLive(dc, { bindDn: dc.deniedUpn, password: dc.deniedPassword }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExbinderError);
    const e = err as ExbinderError;
    expect(e.exitCode).toBe(2);
    expect(e.message).not.toContain('\n');
    expect(e.message).not.toContain(dc.deniedPassword);
    expect([e.code, e.message]).toEqual([
      'insufficient-access',
      `CN=Microsoft Exchange,CN=Services,${dc.configDn} exists but this account cannot read an Exchange organization under it: use an account with read access to the configuration partition (any domain user has it by default)`,
    ]);
  });
});
