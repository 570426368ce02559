/**
 * Fuzz targets: every parser and decoder that reads bytes or text from
 * outside (the directory, an export, a file the operator wrote). The
 * property for each: for any input, the result is a value or the decoder's
 * own typed error, never anything else (RangeError, TypeError, a hang).
 * Inputs are mutations of real seeds (fixtures, captured values) plus
 * arbitrary ones, so the fuzzer spends its time near valid structure.
 *
 * Used by test/unit/hardening/fuzz.test.ts (bounded run in npm test) and
 * scripts/fuzz.ts (long run, prints inputs per target).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ExbinderError } from '../../src/errors.js';
import { parseDn } from '../../src/dn.js';
import { CertificateError, decodeCertificate } from '../../src/harvest/decode/certificate.js';
import { DnsRecordError, decodeDnsRecord } from '../../src/harvest/decode/dns-record.js';
import { GuidError, guidFromBytes, guidToBytes } from '../../src/harvest/decode/guid.js';
import { ReplMetaDataError, decodeReplPropertyMetaData } from '../../src/harvest/decode/repl-metadata.js';
import { SecurityDescriptorError, parseDacl } from '../../src/harvest/decode/security-descriptor.js';
import { parseSupplement } from '../../src/render/supplement.js';
import { parseSnapshot } from '../../src/snapshot/migrate.js';
import { parseFilter } from '../../src/source/filter.js';
import { parseLdifText } from '../../src/source/ldif-parse.js';
import { sampleSnapshot } from '../unit/snapshot/sample.js';

const ROOT = join(import.meta.dirname, '..', '..');

export interface FuzzTarget {
  name: string;
  arbitrary: fc.Arbitrary<unknown>;
  /** decodes one input; returns normally or throws */
  run: (input: never) => unknown;
  /** the decoder's own error type(s) */
  typed: (e: unknown) => boolean;
}

type Mutation = { op: 'set' | 'insert' | 'delete'; at: number; byte: number } | { op: 'truncate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('set' as const, 'insert' as const, 'delete' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(seed: Buffer, ms: readonly Mutation[]): Buffer {
  let b = Buffer.from(seed);
  for (const m of ms) {
    if (b.length === 0 && m.op !== 'insert') continue;
    const at = m.at % Math.max(1, b.length);
    if (m.op === 'set') b[at] = m.byte;
    else if (m.op === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from([m.byte]), b.subarray(at)]);
    else if (m.op === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
    else b = b.subarray(0, at);
  }
  return b;
}

/** Bytes near the seeds: a seed with 1–8 mutations, or arbitrary bytes. */
function bytesNear(seeds: readonly Buffer[]): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 8 })).map(([s, ms]) => mutate(s, ms)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u)) },
  );
}

/** Text near the seeds: byte mutations decoded as UTF-8 (lossy), or strings from a grammar-ish alphabet. */
function textNear(seeds: readonly string[], alphabet: string): fc.Arbitrary<string> {
  const chars = fc.constantFrom(...alphabet.split(''));
  return fc.oneof(
    { weight: 4, arbitrary: bytesNear(seeds.map((s) => Buffer.from(s))).map((b) => b.toString('utf8')) },
    { weight: 2, arbitrary: fc.array(chars, { maxLength: 120 }).map((a) => a.join('')) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
  );
}

const certs = ['EX2016.der', 'FAB-MBX2.der', 'FAB-SE1.der'].map((f) => readFileSync(join(ROOT, 'fixtures/orgs/certs', f)));
const sds = [
  'AQAEhBQAAAAwAAAAAAAAAEwAAAABBQAAAAAABRUAAAClO5NGMr3e1opyJ4YAAgAAAQUAAAAAAAUVAAAApTuTRjK93taKcieGAAIAAAQACAEIAAAAAAAkAP8BDwABBQAAAAAABRUAAAClO5NGMr3e1opyJ4YAAgAAAAAUAAABAAABAQAAAAAABQcAAAAAACQAAAEAAAEFAAAAAAAFFQAAAKU7k0Yyvd7WinInhk8EAAAAACQAAAEAAAEFAAAAAAAJcb2WVJ3m7EObKZzq4/fxPBUAAAABEiQAlAACAAEFAAAAAAAFFQAAAKU7k0Yyvd7WinInhnYEAAAAEhQAlAACAAEBAAAAAAAFCwAAAAASJAD/AQ8AAQUAAAAAAAUVAAAApTuTRjK93taKcieGBwIAAAASJAC9AQ8AAQUAAAAAAAUVAAAApTuTRjK93taKcieGAAIAAA==',
].map((b) => Buffer.from(b, 'base64'));
// an object ACE (type 5) with all three optional parts
sds.push(Buffer.from('010004800000000000000000000000001400000004003c000100000005003400000100000300000000000000000000000000000000000000000000000000000000000000000101000000000005070000', 'hex'));
const dnsRecords = [
  'BAABAAXwAAABAAAAAAAOEAAAAAAAAAAACgABCg==',
  'QwAGAAXwAAABAAAAAAAOEAAAAAAAAAAAAAAAAQAAA4QAAAJYAAFRgAAADhASAwNkYzcHY29udG9zbwR0ZXN0ABkDCmhvc3RtYXN0ZXIHY29udG9zbwR0ZXN0AA==',
  'FAACAAXwAAABAAAAAAADhAAAAAAAAAAAEgMDZGM3B2NvbnRvc28EdGVzdAA=',
].map((b) => Buffer.from(b, 'base64'));
// replPropertyMetaData: version 1, one entry (attid, version, time, invocationId, USNs)
const repl = [Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]), Buffer.alloc(48, 7)])];

const ldifSeed = readFileSync(join(ROOT, 'fixtures/exports/contoso.ldif'), 'utf8').split('\n').slice(0, 80).join('\n');
const ldifSeeds = [
  ldifSeed,
  'version: 1\ndn: CN=a,DC=x\nobjectClass: top\ncn:: YQ==\ndescription: first\n line\n\ndn:: Q049YixEQz14\ncn: b\n',
  'dn: CN=c,DC=x\nchangetype: add\nobjectGUID:: AAECAwQFBgcICQoLDA0ODw==\n',
];
const dnSeeds = [
  'CN=EX2016,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=test',
  'CN=Smith\\, John,OU=Users+L=Zürich,DC=x',
  'CN=\\23hash\\2C\\20,DC=x',
  'OID.2.5.4.3=#04024869,DC=x',
];
const filterSeeds = [
  '(&(objectClass=msExchExchangeServer)(!(msExchServerRole=*)))',
  '(|(cn=a*b*c)(userAccountControl:1.2.840.113556.1.4.803:=2)(name>=x)(name<=y)(cn~=z))',
  '(cn=\\28\\29\\2a\\5c\\00)',
];
const snapshotSeed = JSON.stringify(sampleSnapshot());
const supplementSeeds = [
  readFileSync(join(ROOT, 'fixtures/supplement.example.yaml'), 'utf8'),
  'antivirus:\n  fileLevel: &a AV\n  exchangeAware: *a\nservers: {}\n',
  '{"backup": {"software": "x"}}',
];
const supplementSnapshot = sampleSnapshot();

export const TARGETS: FuzzTarget[] = [
  {
    name: 'security descriptor (parseDacl)',
    arbitrary: bytesNear(sds),
    run: (b: Buffer) => parseDacl(b),
    typed: (e) => e instanceof SecurityDescriptorError,
  },
  {
    name: 'certificate (decodeCertificate)',
    arbitrary: bytesNear(certs),
    run: (b: Buffer) => decodeCertificate(b),
    typed: (e) => e instanceof CertificateError,
  },
  {
    name: 'dnsRecord (decodeDnsRecord)',
    arbitrary: bytesNear(dnsRecords),
    run: (b: Buffer) => decodeDnsRecord(b),
    typed: (e) => e instanceof DnsRecordError,
  },
  {
    name: 'replPropertyMetaData',
    arbitrary: bytesNear(repl),
    run: (b: Buffer) => decodeReplPropertyMetaData(b),
    typed: (e) => e instanceof ReplMetaDataError,
  },
  {
    name: 'GUID (guidFromBytes, guidToBytes)',
    arbitrary: fc.tuple(bytesNear([Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex')]), textNear(['{00112233-4455-6677-8899-aabbccddeeff}'], '0123456789abcdefABCDEF{}-xg ')),
    run: ([b, s]: [Buffer, string]) => {
      const g = guidFromBytes(b);
      if (g !== null && guidFromBytes(guidToBytes(g)) !== g) throw new Error(`GUID ${g} does not round-trip`);
      return guidToBytes(s);
    },
    typed: (e) => e instanceof GuidError,
  },
  {
    name: 'DN (parseDn)',
    arbitrary: textNear(dnSeeds, 'CNDOU=,+;\\"#<> abc0129Aéz\u0000'),
    run: (s: string) => parseDn(s),
    typed: (e) => e instanceof ExbinderError && e.code === 'dn-syntax',
  },
  {
    name: 'LDAP filter (parseFilter)',
    arbitrary: textNear(filterSeeds, '()&|!=*~<>:\\0123456789abcdefcnobjectClass.'),
    run: (s: string) => parseFilter(s),
    typed: (e) => e instanceof ExbinderError && (e.code === 'filter-syntax' || e.code === 'filter-unsupported'),
  },
  {
    name: 'LDIF (parseLdifText)',
    arbitrary: textNear(ldifSeeds, 'dn:cobjectClass \n\r-:<=+#YQ=\t'),
    run: (s: string) => parseLdifText(s, 'fuzz.ldif'),
    typed: (e) => e instanceof ExbinderError && e.code.startsWith('ldif-'),
  },
  {
    name: 'snapshot loader (parseSnapshot)',
    arbitrary: textNear([snapshotSeed], '{}[]":,0123456789truefalsn\\ '),
    run: (s: string) => parseSnapshot(s, 'fuzz.json'),
    typed: (e) => e instanceof ExbinderError && e.code.startsWith('snapshot-'),
  },
  {
    name: 'supplement loader (parseSupplement)',
    arbitrary: textNear(supplementSeeds, 'servers:{}[]-&*!<<: \n"\'#|>abc'),
    run: (s: string) => parseSupplement(s, 'fuzz.yaml', supplementSnapshot),
    typed: (e) => e instanceof ExbinderError && e.code.startsWith('supplement-'),
  },
];

export interface TargetResult {
  name: string;
  inputs: number;
  failure: string | null;
  /** slowest single input, ms */
  slowestMs: number;
}

/** Runs one target: `numRuns` inputs, each must finish within `maxMs`. */
export function fuzzTarget(t: FuzzTarget, numRuns: number, maxMs: number, seed?: number): TargetResult {
  let inputs = 0;
  let slowestMs = 0;
  const r = fc.check(
    fc.property(t.arbitrary, (input) => {
      inputs++;
      const t0 = performance.now();
      try {
        (t.run as (i: unknown) => unknown)(input);
      } catch (e) {
        if (!t.typed(e)) throw new Error(`escaped: ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`);
      }
      const ms = performance.now() - t0;
      slowestMs = Math.max(slowestMs, ms);
      if (ms > maxMs) throw new Error(`took ${ms.toFixed(0)} ms (limit ${maxMs})`);
    }),
    { numRuns, ...(seed !== undefined ? { seed } : {}) },
  );
  const failure = r.failed
    ? `${String((r.errorInstance as Error | undefined)?.message ?? r.errorInstance)}; counterexample ${JSON.stringify(r.counterexample, (_k, v) => (v && v.type === 'Buffer' ? Buffer.from(v.data).toString('hex') : v)).slice(0, 400)} (seed ${r.seed}, path ${r.counterexamplePath})`
    : null;
  return { name: t.name, inputs, failure, slowestMs };
}
