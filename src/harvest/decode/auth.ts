/**
 * Authentication and permission settings stored as bitmasks, decoded to the
 * names Exchange's cmdlets print (so the binder matches what the admin types
 * into Set-ReceiveConnector / Set-OwaVirtualDirectory during recovery).
 */

type BitNames = ReadonlyArray<readonly [number, string]>;

function decodeBits(value: number, table: BitNames, none: string): { names: string[]; unknown: number } {
  if (value === 0) return { names: [none], unknown: 0 };
  const names: string[] = [];
  let known = 0;
  for (const [bit, name] of table) {
    known |= bit;
    if ((value & bit) !== 0) names.push(name);
  }
  return { names, unknown: value & ~known };
}

/**
 * msExchInternal/ExternalAuthenticationMethods on virtual directories
 * (Exchange AuthenticationMethodFlags, as CSS-Exchange Get-VirtualDirectoriesLdap decodes it).
 */
const VDIR_AUTH: BitNames = [
  [1, 'Basic'],
  [2, 'Ntlm'],
  [4, 'Fba'],
  [8, 'Digest'],
  [16, 'WindowsIntegrated'],
  [32, 'LiveIdFba'],
  [64, 'LiveIdBasic'],
  [128, 'WSSecurity'],
  [256, 'Certificate'],
  [512, 'NegoEx'],
  [1024, 'OAuth'],
  [2048, 'Adfs'],
  [4096, 'Kerberos'],
  [8192, 'Negotiate'],
  [16384, 'LiveIdNegotiate'],
];

export function decodeVdirAuth(value: number): { names: string[]; unknown: number } {
  return decodeBits(value, VDIR_AUTH, 'None');
}

/**
 * msExchSMTPReceiveInboundSecurityFlag = ReceiveConnector.AuthMechanism
 * (Exchange AuthMechanisms flags).
 */
const AUTH_MECHANISMS: BitNames = [
  [1, 'Tls'],
  [2, 'Integrated'],
  [4, 'BasicAuth'],
  [8, 'BasicAuthRequireTLS'],
  [16, 'ExchangeServer'],
  [32, 'ExternalAuthoritative'],
];

export function decodeAuthMechanisms(value: number): { names: string[]; unknown: number } {
  return decodeBits(value, AUTH_MECHANISMS, 'None');
}

/**
 * msExchAcceptedDomainFlags: bits 0-1 the domain type, bit 2 the default
 * domain (Exchange AcceptedDomainSchema bit fields).
 */
export function decodeAcceptedDomainFlags(flags: number): {
  type: 'Authoritative' | 'ExternalRelay' | 'InternalRelay' | 'unknown';
  isDefault: boolean;
} {
  const types = ['Authoritative', 'ExternalRelay', 'InternalRelay'] as const;
  return { type: types[flags & 3] ?? 'unknown', isDefault: (flags & 4) !== 0 };
}
