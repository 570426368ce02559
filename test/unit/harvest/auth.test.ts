import { describe, expect, it } from 'vitest';
import { decodeAcceptedDomainFlags, decodeAuthMechanisms, decodeVdirAuth } from '../../../src/harvest/decode/auth.js';

describe('virtual directory authentication methods', () => {
  it.each([
    [0, ['None']],
    [1, ['Basic']],
    [4, ['Fba']],
    [5, ['Basic', 'Fba']],
    [1042, ['Ntlm', 'WindowsIntegrated', 'OAuth']],
    [1043, ['Basic', 'Ntlm', 'WindowsIntegrated', 'OAuth']],
    [8192, ['Negotiate']],
    [16384, ['LiveIdNegotiate']],
  ])('%i → %j', (v, names) => expect(decodeVdirAuth(v)).toEqual({ names, unknown: 0 }));
  it('unknown bits are returned', () => expect(decodeVdirAuth(1 | 65536)).toEqual({ names: ['Basic'], unknown: 65536 }));
});

describe('receive connector AuthMechanism (msExchSMTPReceiveInboundSecurityFlag)', () => {
  it.each([
    [0, ['None']],
    [1, ['Tls']],
    [2, ['Integrated']],
    [4, ['BasicAuth']],
    [8, ['BasicAuthRequireTLS']],
    [16, ['ExchangeServer']],
    [32, ['ExternalAuthoritative']],
    // Exchange's default for new connectors (ReceiveConnectorSchema SecurityFlags default 29)
    [29, ['Tls', 'BasicAuth', 'BasicAuthRequireTLS', 'ExchangeServer']],
    [31, ['Tls', 'Integrated', 'BasicAuth', 'BasicAuthRequireTLS', 'ExchangeServer']],
    [33, ['Tls', 'ExternalAuthoritative']],
  ])('%i → %j', (v, names) => expect(decodeAuthMechanisms(v)).toEqual({ names, unknown: 0 }));
  it('unknown bits are returned', () => expect(decodeAuthMechanisms(64 | 1).unknown).toBe(64));
});

describe('accepted domain flags', () => {
  it.each([
    [0, 'Authoritative', false],
    [4, 'Authoritative', true],
    [1, 'ExternalRelay', false],
    [2, 'InternalRelay', false],
    [6, 'InternalRelay', true],
    [3, 'unknown', false],
  ] as const)('%i → %s default=%s', (flags, type, isDefault) => expect(decodeAcceptedDomainFlags(flags)).toEqual({ type, isDefault }));
});
