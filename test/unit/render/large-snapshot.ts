/**
 * TEST INPUT — a synthetic large organization (default 60 Exchange 2016 servers,
 * 1,200 databases) for measuring render time and memory. Built from the sample's
 * factories so it is a valid snapshot; the lead's bench/ scripts may import it.
 */
import type { Snapshot } from '../../../src/snapshot/model.js';
import { sampleSnapshot, makeServer, makeDatabase, serverDn } from './sample-snapshot.js';

export function largeSnapshot(serverCount = 60, databaseCount = 1200): Snapshot {
  const snap = sampleSnapshot();
  const perServer = Math.ceil(databaseCount / serverCount);
  for (let s = 0; s < serverCount; s++) {
    const name = `EXL${String(s + 1).padStart(3, '0')}`;
    const server = makeServer({
      name, serial: 'Version 15.1 (Build 32507.6)',
      version: { major: 15, minor: 1, build: 2507, revision: 6, product: 'Exchange Server 2016', release: 'CU23', label: 'Exchange Server 2016 CU23 (15.1.2507.6)' },
      roles: ['ClientAccess', 'FrontendTransport', 'HubTransport', 'Mailbox'], bitmask: 16439,
      installPath: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15', dataPath: null, site: `Site-${s % 7}`,
      os: 'Windows Server 2016 Standard', osVersion: '10.0 (14393)', sp: null, ips: [`10.10.${s}.10`],
      transport: { messageTracking: 'L:\\Logs\\MessageTracking', receiveProtocolLog: 'L:\\Logs\\ProtocolLog\\SmtpReceive' },
    });
    snap.servers.push(server);
    for (let d = 0; d < perServer && s * perServer + d < databaseCount; d++) {
      const db = `DB${String(s * perServer + d + 1).padStart(4, '0')}`;
      snap.databases.push(makeDatabase({
        name: db, server: serverDn(name), edb: `E:\\Databases\\${db}\\${db}.edb`, log: `F:\\Logs\\${db}`,
        sys: `F:\\Logs\\${db}`, prefix: 'E00', mailboxes: 100 + d,
      }));
    }
  }
  return snap;
}
