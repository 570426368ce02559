/**
 * msExchCurrentServerRoles → role names in the admin's words for that version.
 *
 * The bitmask is Exchange's internal ServerRole enum (2013 code): Cafe 1,
 * Mailbox 2, ClientAccess 4, UnifiedMessaging 16, HubTransport 32, Edge 64,
 * FrontendTransport 16384, plus datacenter-only bits. What an admin calls the
 * roles, and what setup /Roles: and the prerequisites depend on, differs by
 * version, so the names follow the setup roles of the server's version:
 *
 * - 2007/2010: each bit is a setup role (Mailbox, ClientAccess, HubTransport,
 *   UnifiedMessaging, Edge); 38 = Mailbox + ClientAccess + HubTransport.
 * - 2013: two setup roles. "ClientAccess" is the front end (Cafe bit 1, with
 *   FrontendTransport); "Mailbox" is the back end (bit 2, which also carries
 *   the back-end ClientAccess/HubTransport/UM bits). 16439 = Mailbox +
 *   ClientAccess; 54 = Mailbox only; 16385 = ClientAccess only.
 * - 2016/2019/SE: one setup role "Mailbox" that includes the client access
 *   front end (16439 → ["Mailbox"]), or "Edge".
 *
 * Exchange 2003 has no bitmask: its front-end/back-end flag (serverRole) is
 * decoded separately into `legacyServerRole`, and `roles` stays empty.
 */

const ROLE_BITS: ReadonlyArray<readonly [number, string]> = [
  [1, 'Cafe'],
  [2, 'Mailbox'],
  [4, 'ClientAccess'],
  [16, 'UnifiedMessaging'],
  [32, 'HubTransport'],
  [64, 'Edge'],
  [128, 'Monitoring'],
  [256, 'CentralAdmin'],
  [512, 'CentralAdminDatabase'],
  [1024, 'DomainController'],
  [2048, 'WindowsDeploymentServer'],
  [4096, 'ProvisionedServer'],
  [8192, 'LanguagePacks'],
  [16384, 'FrontendTransport'],
  [32768, 'CafeArray'],
  [65536, 'FfoWebService'],
  [131072, 'OSP'],
  [262144, 'ARR'],
  [524288, 'ManagementFrontEnd'],
  [1048576, 'ManagementBackEnd'],
  [2097152, 'SCOM'],
  [4194304, 'CentralAdminFrontEnd'],
  [8388608, 'NAT'],
  [16777216, 'DHCP'],
];

export type RoleGeneration = '2007' | '2013' | '2016';

/** Bits that an on-premises server of that generation legitimately carries. */
const EXPECTED_BITS: Record<RoleGeneration, number> = {
  '2007': 2 | 4 | 16 | 32 | 64,
  '2013': 1 | 2 | 4 | 16 | 32 | 64 | 16384,
  '2016': 1 | 2 | 4 | 16 | 32 | 64 | 16384,
};

/** Which naming rules apply, from the decoded major/minor version. */
export function roleGeneration(major: number | null, minor: number | null): RoleGeneration {
  if (major === null || major < 15) return '2007';
  if (minor === 0) return '2013';
  return '2016';
}

export interface DecodedRoles {
  roles: string[];
  /** bits outside the expected set, each with Exchange's enum name when it has one */
  unknownBits: Array<{ bit: number; enumName: string | null }>;
}

export function decodeRoles(bitmask: number, generation: RoleGeneration): DecodedRoles {
  const has = (bit: number): boolean => (bitmask & bit) !== 0;
  const roles = new Set<string>();
  if (generation === '2007') {
    for (const [bit, name] of ROLE_BITS) if (bit & EXPECTED_BITS['2007'] && has(bit)) roles.add(name);
  } else if (generation === '2013') {
    if (has(2)) roles.add('Mailbox');
    if (has(1) || has(16384)) roles.add('ClientAccess');
    if (has(64)) roles.add('Edge');
    // back-end bits without the Mailbox bit: not a shape setup produces; keep them visible
    if (!has(2)) for (const bit of [4, 16, 32]) if (has(bit)) roles.add(nameOf(bit)!);
  } else {
    if (has(2)) roles.add('Mailbox');
    if (has(64)) roles.add('Edge');
    if (!has(2)) {
      if (has(1) || has(16384) || has(4)) roles.add('ClientAccess');
      for (const bit of [16, 32]) if (has(bit)) roles.add(nameOf(bit)!);
    }
  }
  const unknownBits: DecodedRoles['unknownBits'] = [];
  for (let bit = 1; bit > 0 && bit <= bitmask; bit *= 2) {
    if (has(bit) && !(EXPECTED_BITS[generation] & bit)) unknownBits.push({ bit, enumName: nameOf(bit) });
  }
  return { roles: [...roles].sort(), unknownBits };
}

function nameOf(bit: number): string | null {
  return ROLE_BITS.find(([b]) => b === bit)?.[1] ?? null;
}

/** Exchange 2003 `serverRole`: 1 = front-end server (Exchange's IsPreE12FrontEnd), else back-end. */
export function legacyRole(serverRole: number | null): 'front-end' | 'back-end' {
  return serverRole === 1 ? 'front-end' : 'back-end';
}
