/** Database availability groups (2010+) and their members. */
import type { Entry } from '../source/directory.js';
import type { Dag } from '../snapshot/model.js';
import { all, first, identity } from './entries.js';
import { dnKey, sameDn } from '../dn.js';
import { uncHost } from './decode/timespan.js';

/** DatacenterActivationModeOption as Set-DatabaseAvailabilityGroup takes it. */
function activationMode(v: string | null): string | null {
  if (v === null) return null;
  return v === '0' ? 'Off' : v === '1' ? 'DagOnly' : v;
}

/**
 * Members: servers whose msExchMDBAvailabilityGroupLink points here, plus the
 * DAG's backlink values (the same set when the DC keeps links consistent;
 * the union survives an export that lacks one side). Deduplicated by DN.
 */
export function mapDag(e: Entry, servers: readonly Entry[]): Dag {
  const members = new Map<string, string>();
  const add = (dn: string): void => {
    const k = dnKey(dn);
    if (!members.has(k)) members.set(k, dn);
  };
  for (const s of servers) if (sameDn(first(s, 'msExchMDBAvailabilityGroupLink'), e.dn)) add(s.dn);
  for (const bl of all(e, 'msExchMDBAvailabilityGroupBL')) add(bl);
  const list = [...members.values()];
  return {
    ...identity(e),
    members: list,
    witnessShare: first(e, 'msExchFileShareWitness'),
    witnessServer: uncHost(first(e, 'msExchFileShareWitness')),
    witnessDirectory: first(e, 'msExchFileShareWitnessDirectory'),
    alternateWitnessShare: first(e, 'msExchAlternateFileShareWitness'),
    alternateWitnessServer: uncHost(first(e, 'msExchAlternateFileShareWitness')),
    alternateWitnessDirectory: first(e, 'msExchAlternateFileShareWitnessDirectory'),
    ipv4Addresses: [...all(e, 'msExchMDBAvailabilityGroupIPv4Addresses')],
    datacenterActivationMode: activationMode(first(e, 'msExchDatacenterActivationMode')),
  };
}
