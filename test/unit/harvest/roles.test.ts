import { describe, expect, it } from 'vitest';
import { decodeRoles, legacyRole, roleGeneration } from '../../../src/harvest/decode/roles.js';
import { setupLogs } from './microsoft-data.js';

describe('msExchCurrentServerRoles in the admin words of each version', () => {
  it.each([
    // 2007 / 2010: each bit is a setup role
    ['2007', 2, ['Mailbox']],
    ['2007', 4, ['ClientAccess']],
    ['2007', 16, ['UnifiedMessaging']],
    ['2007', 32, ['HubTransport']],
    ['2007', 64, ['Edge']],
    ['2007', 38, ['ClientAccess', 'HubTransport', 'Mailbox']],
    ['2007', 54, ['ClientAccess', 'HubTransport', 'Mailbox', 'UnifiedMessaging']],
    // 2013: front end (Cafe + FrontendTransport) = ClientAccess; back end = Mailbox
    ['2013', 16439, ['ClientAccess', 'Mailbox']],
    ['2013', 54, ['Mailbox']],
    ['2013', 16385, ['ClientAccess']],
    ['2013', 64, ['Edge']],
    // 2016+: one Mailbox role that includes client access
    ['2016', 16439, ['Mailbox']],
    ['2016', 16423, ['Mailbox']],
    ['2016', 64, ['Edge']],
  ] as const)('%s: %i → %j', (gen, mask, roles) => {
    const d = decodeRoles(mask, gen);
    expect(d.roles).toEqual(roles);
    expect(d.unknownBits).toEqual([]);
  });

  it('reports bits a version does not use, with the enum name when there is one', () => {
    expect(decodeRoles(16439 | 128, '2016')).toEqual({ roles: ['Mailbox'], unknownBits: [{ bit: 128, enumName: 'Monitoring' }] });
    expect(decodeRoles(2 | 1 | 16384, '2007').unknownBits).toEqual([
      { bit: 1, enumName: 'Cafe' },
      { bit: 16384, enumName: 'FrontendTransport' },
    ]);
    expect(decodeRoles(2 | 33554432, '2016').unknownBits).toEqual([{ bit: 33554432, enumName: null }]);
  });

  it('generation from the decoded version', () => {
    expect(roleGeneration(8, 3)).toBe('2007');
    expect(roleGeneration(14, 3)).toBe('2007');
    expect(roleGeneration(15, 0)).toBe('2013');
    expect(roleGeneration(15, 1)).toBe('2016');
    expect(roleGeneration(15, 2)).toBe('2016');
    expect(roleGeneration(null, null)).toBe('2007');
  });

  it('Exchange 2003 serverRole 1 = front-end', () => {
    expect(legacyRole(1)).toBe('front-end');
    expect(legacyRole(0)).toBe('back-end');
    expect(legacyRole(null)).toBe('back-end');
  });
});

describe('msExchCurrentServerRoles read by real setup runs (CSS-Exchange setup logs)', () => {
  // each log's setup build and the role value setup read for the server it ran on; all are Mailbox servers
  // (2016 keeps the UM bit: 16439; 2019 has no UM: 16423)
  const logs = setupLogs().filter((l) => l.roles.some((r) => r !== 0));
  it('the quotes hold 2016 and 2019 servers', () => expect(logs.map((l) => `${l.setupBuild} ${l.roles.join()}`)).toEqual([
    '15.1.2176.2 16439', '15.1.2044.4 16439', '15.1.2176.2 16439', '15.2.792.3 16423', '15.2.792.3 16423',
  ]));
  it.each(logs.map((l) => [l.file, l] as const))('%s', (_f, log) => {
    const [major, minor] = log.setupBuild.split('.').map(Number) as [number, number];
    for (const mask of log.roles) expect(decodeRoles(mask, roleGeneration(major, minor))).toEqual({ roles: ['Mailbox'], unknownBits: [] });
  });
});
