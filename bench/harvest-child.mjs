/**
 * One harvest in a process of its own, so that bench/harvest.ts measures the
 * harvest's own peak RSS (not the DC's, not the parent's). Runs the BUILT code
 * (dist/, `npx tsc -p tsconfig.json`), as `exbinder harvest` would.
 *
 *   node bench/harvest-child.mjs '<json: {url, bindDn, passwordFile, caFile} | {ldif}, replMetadata?>' <snapshot-out.json>
 *
 * Prints one JSON line: seconds (connect + bind + harvest, not the snapshot
 * write), searches (the source's searchCount: root DSE, each search, each
 * range follow-up), entries, maxRssMb, and the requests the harvest issued
 * (so the parent can replay exactly them with ldapsearch) plus the DNs and
 * sizes of ranged attributes that needed follow-ups, and the bytes of
 * replPropertyMetaData values received (replMetadata: false leaves it out).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { harvest } from '../dist/harvest/index.js';
import { openLdap, openLdif } from '../dist/source/index.js';
import { serialize } from '../dist/snapshot/canonical.js';

const [, , optsJson, out] = process.argv;
const o = JSON.parse(optsJson);

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const inner = o.ldif
  ? await openLdif([o.ldif])
  : await openLdap({
    url: o.url, startTls: false, bindDn: o.bindDn, password: readFileSync(o.passwordFile, 'utf8'), caFile: o.caFile,
    insecure: false, timeoutMs: 600_000, onWarning: () => {},
  });

/** Pass-through that records what the harvest asks; costs a counter per entry. */
const requests = [];
const ranged = [];
let entries = 0;
let replBytes = 0;
const dir = {
  description: inner.description,
  kind: inner.kind,
  rootDse: () => inner.rootDse(),
  async *search(request) {
    requests.push(request);
    for await (const e of inner.search(request)) {
      entries++;
      for (const a of request.rangedAttributes ?? []) {
        const n = e.text.get(a.toLowerCase())?.length ?? 0;
        if (n > 1500) ranged.push({ dn: e.dn, attribute: a, values: n });
      }
      for (const v of e.binary.get('replpropertymetadata') ?? []) replBytes += v.length;
      yield e;
    }
  },
  get searchCount() { return inner.searchCount; },
  close: () => inner.close(),
};

let snapshot;
try {
  snapshot = await harvest(dir, { toolVersion: 'bench', replMetadata: o.replMetadata ?? true });
} finally {
  await dir.close();
}
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
// CPU time (user + system) of this process: on a shared machine less noisy than the wall clock
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
writeFileSync(out, serialize(snapshot));
console.log(JSON.stringify({
  seconds,
  cpuSeconds,
  searches: inner.searchCount,
  metadataSearches: snapshot.metadata.searches,
  entries,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  requests,
  ranged,
  replBytes,
}));
