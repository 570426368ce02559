/** `exbinder history --object NAME` as terminal text (the history itself: snapshot/object-history.ts). */
import type { AttributeEvent, ObjectHistory } from '../snapshot/object-history.js';
import { changeTimes } from './drift.js';
import { counted } from './words.js';
import { C1, charClass, INVISIBLE_FORMAT, SEPARATORS } from '../unicode.js';

const TERMINAL_UNSAFE = charClass('\\u0000-\\u001f', C1, SEPARATORS, INVISIBLE_FORMAT);
/** Terminal-safe: AD text must not move the cursor or recolour the terminal. */
const plain = (s: string): string => s.replace(TERMINAL_UNSAFE, '?');

/** Terminal text: per object, per attribute, one line per known state. */
export function formatObjectHistory(histories: readonly ObjectHistory[], query: string, timeZone?: string): string[] {
  return formatLines(histories, query, timeZone).map(plain);
}

function formatLines(histories: readonly ObjectHistory[], query: string, timeZone?: string): string[] {
  if (histories.length === 0) return [`no object named ${query} in the stored snapshots (name, DN or GUID; names as the binder prints them)`];
  const out: string[] = [];
  for (const h of histories) {
    out.push(`${h.kind} ${h.name}  ${h.dn}`);
    out.push(`  in ${counted(h.snapshots, 'snapshot')}, ${h.withMetadata} with replication metadata`);
    const changed = h.attributes.filter((a) => a.events.length > 1 || (a.events[0]?.version ?? 1) > 1);
    const steady = h.attributes.filter((a) => !changed.includes(a));
    for (const a of changed) {
      out.push(`  ${a.attribute}`);
      for (const e of a.events) out.push(`    ${eventLine(e, timeZone)}`);
    }
    if (steady.length) {
      out.push(`  unchanged while observed: ${steady.map((a) => `${a.attribute}${a.events[0]?.changedAt ? ` (set ${changeTimes(a.events[0].changedAt, timeZone).utc} on ${a.events[0].dc})` : ''}`).join(', ')}`);
    }
    out.push('');
  }
  out.push('Times and DCs come from replication metadata: when and on which DC, not who (that is in the DC\'s Security event log).');
  return out;
}

function eventLine(e: AttributeEvent, timeZone?: string): string {
  const value = e.value === null ? '(no value)' : e.value.join(', ');
  const seen = e.firstSeen.id === e.lastSeen.id ? `snapshot ${e.firstSeen.id}` : `snapshots ${e.firstSeen.id} … ${e.lastSeen.id}`;
  if (e.changedAt === null) return `${value}  [${seen}, harvested ${e.firstSeen.harvestedAt}; no replication metadata]`;
  const t = changeTimes(e.changedAt, timeZone);
  const jump = e.changesSincePrevious !== null && e.changesSincePrevious > 1 ? `, ${e.changesSincePrevious} changes since the previous state (values in between never harvested)` : '';
  return `${t.utc} (${t.local}) on ${e.dc}, version ${e.version}${jump}: ${value}  [${seen}]`;
}
