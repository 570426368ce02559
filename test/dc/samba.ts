/**
 * Throwaway Samba AD domain controllers carrying real-looking Exchange
 * organizations, for integration tests, benches and the demo export.
 *
 * Each DC lives in its own temp folder and listens on its own loopback alias
 * (127.0.0.42 contoso.test, 127.0.0.43 fabrikam.test). Outside that folder it
 * only adds the loopback alias and one /etc/hosts line per DC (idempotent), so
 * that clients connect by name and verify Samba's certificate against
 * `caFile` like they would against a real DC.
 *
 * Loading is done offline with ldbadd/ldbmodify on sam.ldb before samba starts:
 * it goes through the same dsdb module stack as LDAP writes (back links, GUIDs,
 * SDs are maintained) but skips the network round trips.
 *
 * Everything returned is plain JSON so vitest can `provide()` it to workers.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, appendFileSync, chmodSync, closeSync, constants, cpSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { connect } from 'node:net';
import * as tls from 'node:tls';

export interface DcContext {
  host: string; // 'dc1.contoso.test'
  ip: string; // '127.0.0.42'
  realm: string; // 'CONTOSO.TEST'
  baseDn: string; // 'DC=contoso,DC=test'
  configDn: string; // 'CN=Configuration,DC=contoso,DC=test'
  ldapsUrl: string; // 'ldaps://dc1.contoso.test:636'
  ldapUrl: string; // 'ldap://dc1.contoso.test:389' (StartTLS)
  caFile: string; // PEM of Samba's CA
  adminDn: string;
  adminUpn: string;
  adminPassword: string;
  readerDn: string;
  readerUpn: string;
  readerPassword: string; // ordinary domain user: the harvest account
  deniedUpn: string;
  deniedPassword: string; // user denied read on CN=Microsoft Exchange
  passwordFile: string; // file (0600) holding readerPassword
  workDir: string;
  pid: number; // samba's pid when started; after restartDc() see currentPid()
  org: { name: string; dn: string }; // the Exchange org in this forest
  /** Kerberos: a krb5.conf naming this DC as the realm's only KDC (set KRB5_CONFIG to it) */
  krb5Conf: string;
  /** keytab (0600) of readerPrincipal, exported with samba-tool domain exportkeytab */
  readerKeytab: string;
  readerPrincipal: string; // 'exbinder-reader@CONTOSO.TEST'
  /**
   * DNS: the DC's own DNS server answers for the forest on ip:53. Besides the
   * SRV records provisioning registers, the zone holds a site `Failover` whose
   * three DCs are tried in priority order: an address where nothing listens
   * (refused), one where a test's own listener accepts and stays silent, and the real DC.
   */
  failover: { site: string; refusedHost: string; refusedIp: string; silentHost: string; silentIp: string };
}

export interface DcSpec {
  /** forest DNS name, e.g. 'contoso.test' */
  domain: string;
  ip: string;
  /** short host name of the DC */
  hostName: string;
  /** fixture org file under fixtures/orgs, or an absolute path (a generated org) */
  orgFile: string;
  orgName: string;
}

/** Slot 0 values; other slots shift the address and host name (specFor). */
export const CONTOSO: DcSpec = { domain: 'contoso.test', ip: '127.0.0.42', hostName: 'dc1', orgFile: 'contoso.ldif', orgName: 'Contoso' };
export const FABRIKAM: DcSpec = { domain: 'fabrikam.test', ip: '127.0.0.43', hostName: 'dc1', orgFile: 'fabrikam.ldif', orgName: 'Fabrikam' };

const REPO = resolve(import.meta.dirname, '..', '..');
const SCHEMA_DIR = join(REPO, 'fixtures', 'schema');
const ORGS_DIR = join(REPO, 'fixtures', 'orgs');
const RELOAD_MARKER = '# ---- schema reload ----'; // see scripts/dc-gen-schema.ts
const SCHEMA_OPT = '--option=dsdb:schema update allowed=true';
/**
 * ldb batch mode: no nested transaction per record. Without it every add copies
 * each index list it touches (objectClass=user, the OU's one-level index...) into a
 * sub-transaction, so loading N users costs O(N²): 6,000 users took 46 s of CPU,
 * 30,000 would take ~20 min; with it 6,000 take 4.7 s. A failed record still fails
 * the whole load (one transaction), which is all a throwaway DC needs.
 */
const BATCH_OPT = ['-o', 'batch_mode:1'];
const READER = 'exbinder-reader';
const DENIED = 'exbinder-denied';

// ------------------------------------------------------------------ helpers

function run(cmd: string, args: string[], opts: { input?: string; cwd?: string } = {}): Promise<string> {
  return new Promise((res, rej) => {
    const child = execFile(cmd, args, { cwd: opts.cwd, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      // name the command by its first two arguments only: later ones may be passwords
      if (err) rej(new Error(`${cmd} ${args.slice(0, 2).join(' ')} failed: ${(stderr || err.message).trim().split('\n').slice(-3).join(' | ')}`));
      else res(stdout);
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

function findOnPath(bin: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const d of dirs) {
    try {
      accessSync(join(d, bin), constants.X_OK);
      return join(d, bin);
    } catch { /* next */ }
  }
  return null;
}

function requireSamba(): { samba: string } {
  const samba = findOnPath('samba');
  const missing = ['samba-tool', 'ldbadd', 'ldbmodify', 'ldbsearch', 'openssl'].filter((b) => !findOnPath(b));
  if (!samba || missing.length > 0) {
    throw new Error('samba is not installed: apt-get install -y samba ldb-tools ldap-utils (or run .ci/run)');
  }
  // loopback aliases, /etc/hosts lines and a DC's privileged ports need root
  if (process.getuid?.() !== 0) {
    throw new Error('the test domain controllers need root (loopback alias, /etc/hosts, ports 389/636): run the integration tests as root, e.g. sudo npm test');
  }
  return { samba };
}

/** Random password satisfying Samba's default complexity rules. */
function password(): string {
  return `Ex!${randomBytes(12).toString('base64url')}9a`;
}

const baseDnOf = (domain: string) => domain.split('.').map((p) => `DC=${p}`).join(',');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Samba binds only to addresses that exist on an interface. */
async function ensureLoopback(ip: string): Promise<void> {
  const out = await run('ip', ['-o', '-4', 'addr', 'show', 'dev', 'lo']);
  if (out.includes(` ${ip}/`)) return;
  try {
    await run('ip', ['addr', 'add', `${ip}/8`, 'dev', 'lo']);
  } catch (e) {
    // two DCs starting at once may race on the same alias
    if (!(await run('ip', ['-o', '-4', 'addr', 'show', 'dev', 'lo'])).includes(` ${ip}/`)) throw e;
  }
}

/** The DC's certificate names its host, so clients must resolve that name to our alias. */
function ensureHostsLine(ip: string, fqdn: string): void {
  const hosts = readFileSync('/etc/hosts', 'utf8');
  const present = hosts.split('\n').some((l) => {
    const [addr, ...names] = l.replace(/#.*/, '').trim().split(/\s+/);
    return addr === ip && names.includes(fqdn);
  });
  if (!present) appendFileSync('/etc/hosts', `${hosts.endsWith('\n') ? '' : '\n'}${ip} ${fqdn} # exbinder test DC\n`);
}

// ------------------------------------------------------------------ provisioning

function paths(workDir: string) {
  return {
    conf: join(workDir, 'etc', 'smb.conf'),
    priv: join(workDir, 'private'),
    sam: join(workDir, 'private', 'sam.ldb'),
    tls: join(workDir, 'private', 'tls'),
    run: join(workDir, 'run'),
    pidFile: join(workDir, 'run', 'samba.pid'),
    log: join(workDir, 'samba.log'),
    saved: join(workDir, 'saved-private'),
    context: join(workDir, 'context.json'),
  };
}

async function provision(spec: DcSpec, workDir: string, adminPassword: string): Promise<void> {
  const p = paths(workDir);
  mkdirSync(p.run, { recursive: true });
  const netbios = spec.domain.split('.')[0]!.toUpperCase();
  await run('samba-tool', [
    'domain', 'provision', `--targetdir=${workDir}`, `--realm=${spec.domain.toUpperCase()}`, `--domain=${netbios}`,
    '--server-role=dc', '--dns-backend=SAMBA_INTERNAL', `--host-name=${spec.hostName}`, `--host-ip=${spec.ip}`,
    `--adminpass=${adminPassword}`,
    `--option=interfaces=${spec.ip}`, '--option=bind interfaces only=yes',
    // LDAP, the KDC (Kerberos binds) and DNS (DC discovery by SRV); nothing else: fewer services start faster on 2 cores
    '--option=server services=ldap kdc dns',
    // SASL (GSSAPI) inside LDAPS: what AD allows; Samba's default refuses it
    '--option=ldap server require strong auth=allow_sasl_over_tls',
    `--option=log file=${join(workDir, 'log.%m')}`, `--option=pid directory=${p.run}`,
    `--option=ncalrpc dir=${join(p.run, 'ncalrpc')}`, `--option=winbindd socket directory=${join(p.run, 'winbindd')}`,
    `--option=ntp signd socket directory=${join(p.run, 'ntp_signd')}`,
    '--option=dsdb:schema update allowed=true',
  ]);
  removeDnsForwarder(p.conf);
}

/**
 * Provisioning copies the host's resolver into `dns forwarder`: the DC's DNS
 * would then forward every name it does not hold off this machine. Test DCs
 * answer for their own zones only.
 */
export function removeDnsForwarder(conf: string): void {
  const text = readFileSync(conf, 'utf8');
  writeFileSync(conf, text.split('\n').filter((l) => !/^\s*dns forwarder\s*=/i.test(l)).join('\n'));
}

/** Our own CA and a server certificate with a SAN, instead of Samba's CN-only autogenerated one. */
async function makeTls(dir: string, fqdn: string): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ext = join(dir, 'san.cnf');
  writeFileSync(ext, `subjectAltName=DNS:${fqdn}\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n`);
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', `/O=exbinder test/CN=exbinder test CA ${fqdn}`,
    '-keyout', join(dir, 'ca-key.pem'), '-out', join(dir, 'ca.pem')]);
  await run('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${fqdn}`, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'req.pem')]);
  await run('openssl', ['x509', '-req', '-in', join(dir, 'req.pem'), '-CA', join(dir, 'ca.pem'), '-CAkey', join(dir, 'ca-key.pem'),
    '-CAcreateserial', '-days', '30', '-extfile', ext, '-out', join(dir, 'cert.pem')]);
  rmSync(join(dir, 'ca-key.pem'));
  chmodSync(join(dir, 'key.pem'), 0o600); // samba refuses a world-readable key
}

async function loadSchema(sam: string, configDn: string): Promise<void> {
  const schemaDn = `CN=Schema,${configDn}`;
  const tmp = (name: string, text: string) => {
    const f = join(sam, '..', '..', name);
    writeFileSync(f, text.replaceAll('${SCHEMADN}', schemaDn));
    return f;
  };
  const read = (f: string) => readFileSync(join(SCHEMA_DIR, f), 'utf8');
  await run('ldbadd', ['-H', sam, SCHEMA_OPT, tmp('schema-attributes.ldif', read('10-attributes.ldif'))]);
  const groups = read('20-classes.ldif').split(RELOAD_MARKER);
  for (const [i, g] of groups.entries()) await run('ldbmodify', ['-H', sam, SCHEMA_OPT, tmp(`schema-classes-${i}.ldif`, g)]);
  await run('ldbmodify', ['-H', sam, SCHEMA_OPT, tmp('schema-base-classes.ldif', read('30-base-classes.ldif'))]);
}

async function objectSid(sam: string, dn: string): Promise<string> {
  const out = await run('ldbsearch', ['-H', sam, '-b', dn, '-s', 'base', 'objectSid']);
  const m = /^objectSid: (S-[\d-]+)$/m.exec(out);
  if (!m) throw new Error(`no objectSid for ${dn}`);
  return m[1]!;
}

/** Loads an org LDIF; records naming ${SID:<dn>} go in a second pass once those objects exist. */
async function loadOrg(sam: string, file: string, workDir: string): Promise<void> {
  const records = readFileSync(file, 'utf8').split(/\n\n+/).filter((r) => /^dn::? /m.test(r));
  const first = records.filter((r) => !r.includes('${SID:'));
  const later = records.filter((r) => r.includes('${SID:'));
  const f1 = join(workDir, 'org-1.ldif');
  writeFileSync(f1, first.join('\n\n') + '\n');
  await run('ldbmodify', ['-H', sam, SCHEMA_OPT, ...BATCH_OPT, f1]);
  if (later.length === 0) return;
  let text = later.join('\n\n') + '\n';
  for (const dn of new Set([...text.matchAll(/\$\{SID:([^}]+)\}/g)].map((m) => m[1]!))) {
    text = text.replaceAll(`\${SID:${dn}}`, await objectSid(sam, dn));
  }
  const f2 = join(workDir, 'org-2.ldif');
  writeFileSync(f2, text);
  await run('ldbmodify', ['-H', sam, SCHEMA_OPT, ...BATCH_OPT, f2]);
}

async function createAccounts(sam: string, ctx: DcContext): Promise<void> {
  // the passwords are on samba-tool's argv: acceptable for a throwaway DC with random per-run passwords
  await run('samba-tool', ['user', 'create', READER, ctx.readerPassword, '-H', sam, '--description=exbinder harvest account (ordinary user)']);
  await run('samba-tool', ['user', 'create', DENIED, ctx.deniedPassword, '-H', sam, '--description=denied read on CN=Microsoft Exchange']);
  const sid = await objectSid(sam, `CN=${DENIED},CN=Users,${ctx.baseDn}`);
  // Like Exchange's /PrepareAD, read access to the Exchange subtree comes from inheritable ACEs on
  // CN=Microsoft Exchange (the schema's default SDs grant admins only). The denied account's deny comes
  // first, so every object below inherits "deny, then allow": the account sees nothing of the org.
  await run('samba-tool', ['dsacl', 'set', '-H', sam, `--objectdn=CN=Microsoft Exchange,CN=Services,${ctx.configDn}`,
    // samba-tool inserts each ACE at the front, so list them in reverse
    `--sddl=(A;CI;RPLCLORC;;;AU)(D;CI;RPLCLORC;;;${sid})`]);
}

/** dnsRecord blob ([MS-DNSP] 2.3.2.2): 24-byte header, then the record data. */
function dnsRecordBlob(type: number, data: Buffer): Buffer {
  const b = Buffer.alloc(24 + data.length);
  b.writeUInt16LE(data.length, 0); // DataLength
  b.writeUInt16LE(type, 2);
  b.writeUInt8(5, 4); // Version
  b.writeUInt8(0xf0, 5); // Rank: zone
  b.writeUInt32LE(1, 8); // Serial
  b.writeUInt32BE(900, 12); // TTL (big-endian)
  b.writeUInt32LE(0, 20); // TimeStamp 0: static
  data.copy(b, 24);
  return b;
}
/** A record data: the four address bytes. */
const aBlob = (ip: string) => dnsRecordBlob(1, Buffer.from(ip.split('.').map(Number)));
/** SRV record data ([MS-DNSP] 2.2.2.2.4.18): priority, weight, port (big-endian), then the target as DNS_COUNT_NAME. */
function srvBlob(priority: number, weight: number, port: number, target: string): Buffer {
  const labels = target.split('.');
  const head = Buffer.alloc(6);
  head.writeUInt16BE(priority, 0);
  head.writeUInt16BE(weight, 2);
  head.writeUInt16BE(port, 4);
  const raw = Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])), Buffer.from([0])]);
  return dnsRecordBlob(33, Buffer.concat([head, Buffer.from([raw.length, labels.length]), raw]));
}

/**
 * What Kerberos binds and DC discovery need: the DC's ldap/ SPNs
 * (samba_spnupdate, as a joined DC does at start), a keytab for the harvest
 * account, a krb5.conf for clients, and the failover site's SRV records.
 * All offline, before samba starts.
 */
async function kerberosAndDns(spec: DcSpec, p: ReturnType<typeof paths>, ctx: DcContext): Promise<void> {
  await run('samba_spnupdate', ['-s', p.conf]);
  await run('samba-tool', ['domain', 'exportkeytab', ctx.readerKeytab, `--principal=${ctx.readerPrincipal}`, '-s', p.conf]);
  chmodSync(ctx.readerKeytab, 0o600);
  writeFileSync(ctx.krb5Conf, [
    '[libdefaults]',
    `  default_realm = ${ctx.realm}`,
    '  dns_lookup_kdc = false',
    '  dns_lookup_realm = false',
    // the SPN is ldap/<the name we connect to>: no reverse lookups, no canonicalisation
    '  rdns = false',
    '  dns_canonicalize_hostname = false',
    '  udp_preference_limit = 1',
    '[realms]',
    `  ${ctx.realm} = {`,
    `    kdc = ${ctx.ip}`,
    '  }',
    '[domain_realm]',
    `  .${spec.domain} = ${ctx.realm}`,
    `  ${spec.domain} = ${ctx.realm}`,
    '',
  ].join('\n'));
  const f = ctx.failover;
  const zone = `DC=${spec.domain},CN=MicrosoftDNS,DC=DomainDnsZones,${ctx.baseDn}`;
  const msdcs = `DC=_msdcs.${spec.domain},CN=MicrosoftDNS,DC=ForestDnsZones,${ctx.baseDn}`;
  const node = (dn: string, records: Buffer[]) =>
    `dn: ${dn}\nchangetype: add\nobjectClass: top\nobjectClass: dnsNode\n${records.map((r) => `dnsRecord:: ${r.toString('base64')}`).join('\n')}\n`;
  const ldif = [
    node(`DC=${f.refusedHost.split('.')[0]},${zone}`, [aBlob(f.refusedIp)]),
    node(`DC=${f.silentHost.split('.')[0]},${zone}`, [aBlob(f.silentIp)]),
    node(`DC=_ldap._tcp.${f.site}._sites.dc,${msdcs}`, [
      srvBlob(0, 100, 389, f.refusedHost),
      srvBlob(10, 100, 389, f.silentHost),
      srvBlob(20, 100, 389, ctx.host),
    ]),
  ].join('\n');
  const file = join(ctx.workDir, 'failover-dns.ldif');
  writeFileSync(file, ldif);
  await run('ldbmodify', ['-H', p.sam, file]);
}

// ------------------------------------------------------------------ process control

function readPid(workDir: string): number | null {
  try {
    const n = Number.parseInt(readFileSync(paths(workDir).pidFile, 'utf8').trim(), 10);
    return Number.isFinite(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // a killed child whose parent has not reaped it yet is a zombie: dead for our purposes
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * A live samba process. Pid files and ctx.pid outlive the process, and a pid can be reused
 * by an unrelated process, so check the command line (samba rewrites it to "samba: …")
 * before signalling anything.
 */
function isSamba(pid: number | null): pid is number {
  if (pid === null || !alive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('samba');
  } catch {
    return false;
  }
}

/** pid of the samba currently serving this DC (changes with restartDc), or null. */
export function currentPid(ctx: DcContext): number | null {
  const pid = readPid(ctx.workDir);
  return isSamba(pid) ? pid : null;
}

/** Resolves when an LDAPS handshake verified against our CA succeeds. */
function ldapsAnswers(ctx: DcContext, timeoutMs = 1000): Promise<boolean> {
  return new Promise((res) => {
    const sock = tls.connect({ host: ctx.ip, port: 636, servername: ctx.host, ca: readFileSync(ctx.caFile), timeout: timeoutMs });
    const done = (ok: boolean) => { sock.destroy(); res(ok); };
    sock.once('secureConnect', () => done(sock.authorized));
    sock.once('error', () => done(false));
    sock.once('timeout', () => done(false));
  });
}

/** Last lines of samba's log, for error messages (the work dir is removed after a failed start). */
function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-4).join(' | ');
  } catch {
    return '(no samba log)';
  }
}

async function startSamba(ctx: DcContext, timeoutMs = 60_000): Promise<number> {
  const { samba } = requireSamba();
  const p = paths(ctx.workDir);
  rmSync(p.pidFile, { force: true });
  const log = openSync(p.log, 'a');
  // own process group (detached) so a hard kill takes every samba child with it;
  // unref so the test process that started it can exit without waiting
  const child = spawn(samba, ['--foreground', '--no-process-group', '--model=single', '--debug-stdout', '-s', p.conf], {
    detached: true, stdio: ['ignore', log, log],
  });
  closeSync(log);
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`samba exited with ${child.exitCode} at start: ${logTail(p.log)}`);
    if (await ldapsAnswers(ctx)) return child.pid!;
    await sleep(200);
  }
  process.kill(-child.pid!, 'SIGKILL');
  throw new Error(`samba did not answer LDAPS on ${ctx.ip}:636 within ${timeoutMs} ms: ${logTail(p.log)}`);
}

async function stopSamba(ctx: DcContext, signal: NodeJS.Signals): Promise<void> {
  const pids = new Set([readPid(ctx.workDir), ctx.pid].filter(isSamba));
  for (const pid of pids) {
    for (const target of [-pid, pid]) {
      try { process.kill(target, signal); } catch { /* group may not exist */ }
    }
  }
  const deadline = Date.now() + 15_000;
  while ([...pids].some(alive) && Date.now() < deadline) await sleep(100);
  for (const pid of pids) if (alive(pid)) try { process.kill(-pid, 'SIGKILL'); } catch { process.kill(pid, 'SIGKILL'); }
  while ([...pids].some(alive)) await sleep(50);
  // wait for the listener to go away so a restart can bind again
  const until = Date.now() + 5_000;
  while (Date.now() < until && (await ldapsAnswers(ctx, 300))) await sleep(100);
}

// ------------------------------------------------------------------ slots

/**
 * Several test runs may share this machine (engineers, CI). Each run takes a
 * numbered slot: slot k owns loopback addresses 127.0.0.(42+2k) (contoso) and
 * 127.0.0.(43+2k) (fabrikam) and the host name dc(k+1).<domain>, so runs never
 * fight over a port. The slot is the folder /tmp/exbinder-dc-slot<k> (mkdir is
 * atomic); its `owner` file names the process that took it, and a slot whose
 * owner is gone is reclaimed (its leftover samba processes are stopped).
 */
const SLOT_ROOT = tmpdir();
const MAX_SLOTS = 20;
const slotDir = (k: number) => join(SLOT_ROOT, `exbinder-dc-slot${k}`);
/** owner-file content of a slot kept for reuse across test runs (EXBINDER_DC_REUSE) */
const KEEP_OWNER = 'keep';

/** Marks the slot of these DCs as kept: it outlives the process that started it (scripts/dc-start.ts). */
export function keepSlot(ctx: DcContext): string {
  const dir = resolve(ctx.workDir, '..');
  writeFileSync(join(dir, 'owner'), `${KEEP_OWNER} ${new Date().toISOString()}\n`);
  return dir;
}

/** Contexts of the DCs kept in a slot dir, restarting any that is not running. */
export async function reuseDcs(dir: string): Promise<{ contoso: DcContext; fabrikam: DcContext }> {
  const load = async (forest: string) => {
    const workDir = join(dir, forest);
    if (!existsSync(paths(workDir).context)) throw new Error(`EXBINDER_DC_REUSE=${dir}: no ${forest}/context.json there; start DCs with npx tsx scripts/dc-start.ts`);
    const ctx = readContext(workDir);
    return currentPid(ctx) === null ? restartDc(ctx) : { ...ctx, pid: currentPid(ctx)! };
  };
  return { contoso: await load('contoso'), fabrikam: await load('fabrikam') };
}

/** Stops kept DCs and frees their slot. */
export async function stopKeptDcs(dir: string): Promise<void> {
  for (const forest of ['contoso', 'fabrikam']) {
    const workDir = join(dir, forest);
    if (existsSync(paths(workDir).context)) await stopSamba(readContext(workDir), 'SIGTERM');
  }
  rmSync(dir, { recursive: true, force: true });
}

async function reclaimIfStale(dir: string): Promise<boolean> {
  let owner = 0;
  try {
    const text = readFileSync(join(dir, 'owner'), 'utf8');
    if (text.startsWith(KEEP_OWNER)) return false; // started by scripts/dc-start.ts: lives until dc-stop
    owner = Number.parseInt(text, 10);
  } catch {
    // owner file not written yet: the slot is being taken right now, or was abandoned mid-take
    try {
      if (Date.now() - lstatSync(dir).mtimeMs < 60_000) return false;
    } catch {
      return true;
    }
  }
  if (owner > 0 && alive(owner)) return false;
  for (const name of readdirSync(dir)) {
    const pid = readPid(join(dir, name));
    if (isSamba(pid)) try { process.kill(-pid, 'SIGKILL'); } catch { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  }
  rmSync(dir, { recursive: true, force: true });
  return true;
}

/** True when something already listens on ip:389 (e.g. a DC started by code that predates slots). */
function portBusy(ip: string): Promise<boolean> {
  return new Promise((res) => {
    const sock = connect({ host: ip, port: 389, timeout: 500 });
    sock.once('connect', () => { sock.destroy(); res(true); });
    sock.once('error', () => res(false));
    sock.once('timeout', () => { sock.destroy(); res(false); });
  });
}

async function acquireSlot(only?: number): Promise<number> {
  for (let k = only ?? 0; k < (only === undefined ? MAX_SLOTS : only + 1); k++) {
    if ((await portBusy(specFor('contoso', k).ip)) || (await portBusy(specFor('fabrikam', k).ip))) continue;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        mkdirSync(slotDir(k));
        writeFileSync(join(slotDir(k), 'owner'), String(process.pid));
        return k;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        if (!(await reclaimIfStale(slotDir(k)))) break;
      }
    }
  }
  if (only !== undefined) throw new Error(`test DC slot ${only} (${slotDir(only)}) is in use: wait for that run to finish`);
  throw new Error(`all ${MAX_SLOTS} test DC slots (${slotDir(0)}..) are in use`);
}

/** Frees the slot once none of its DCs remain. */
function releaseSlotOf(workDir: string): void {
  const dir = resolve(workDir, '..');
  if (!/exbinder-dc-slot\d+$/.test(dir) || !existsSync(dir)) return;
  if (readdirSync(dir).every((n) => n === 'owner')) rmSync(dir, { recursive: true, force: true });
}

/** Failover site addresses: the DC's last octet under 127.0.3.x (nothing listens) and 127.0.4.x (a test's silent listener). */
function failoverOf(spec: DcSpec): DcContext['failover'] {
  const n = spec.ip.split('.')[3];
  return { site: 'Failover', refusedHost: `refused.${spec.domain}`, refusedIp: `127.0.3.${n}`, silentHost: `silent.${spec.domain}`, silentIp: `127.0.4.${n}` };
}

export function specFor(forest: 'contoso' | 'fabrikam', slot: number): DcSpec {
  const base = forest === 'contoso' ? CONTOSO : FABRIKAM;
  const last = (forest === 'contoso' ? 42 : 43) + 2 * slot;
  return { ...base, ip: `127.0.0.${last}`, hostName: `dc${slot + 1}` };
}

// ------------------------------------------------------------------ public API

export interface StartOptions {
  /** which forest (default contoso) */
  forest?: 'contoso' | 'fabrikam';
  /**
   * A generated org instead of a fixture forest (scripts/gen-large-org.ts):
   * its own forest, served on the slot's first address. `file` is an absolute LDIF path.
   */
  org?: { domain: string; orgName: string; file: string };
}

/** One forest in a slot of its own. */
export async function startDc(opts: StartOptions = {}): Promise<DcContext> {
  requireSamba();
  const slot = await acquireSlot();
  try {
    const spec = opts.org
      ? { ...specFor('contoso', slot), domain: opts.org.domain, orgName: opts.org.orgName, orgFile: opts.org.file }
      : specFor(opts.forest ?? 'contoso', slot);
    return await startInSlot(spec, slotDir(slot));
  } catch (e) {
    rmSync(slotDir(slot), { recursive: true, force: true });
    throw e;
  }
}

async function startInSlot(spec: DcSpec, dir: string): Promise<DcContext> {
  const baseDn = baseDnOf(spec.domain);
  const configDn = `CN=Configuration,${baseDn}`;
  const host = `${spec.hostName}.${spec.domain}`;
  const workDir = join(dir, spec.domain.split('.')[0]!);
  mkdirSync(workDir);
  const p = paths(workDir);
  const ctx: DcContext = {
    host, ip: spec.ip, realm: spec.domain.toUpperCase(), baseDn, configDn,
    ldapsUrl: `ldaps://${host}:636`, ldapUrl: `ldap://${host}:389`, caFile: join(p.tls, 'ca.pem'),
    adminDn: `CN=Administrator,CN=Users,${baseDn}`, adminUpn: `Administrator@${spec.domain}`, adminPassword: password(),
    readerDn: `CN=${READER},CN=Users,${baseDn}`, readerUpn: `${READER}@${spec.domain}`, readerPassword: password(),
    deniedUpn: `${DENIED}@${spec.domain}`, deniedPassword: password(),
    passwordFile: join(workDir, 'reader.password'), workDir, pid: 0,
    org: { name: spec.orgName, dn: `CN=${spec.orgName},CN=Microsoft Exchange,CN=Services,${configDn}` },
    krb5Conf: join(workDir, 'krb5.conf'), readerKeytab: join(workDir, 'reader.keytab'),
    readerPrincipal: `${READER}@${spec.domain.toUpperCase()}`,
    failover: failoverOf(spec),
  };
  const timer = phaseTimer(spec.domain);
  try {
    await ensureLoopback(spec.ip);
    ensureHostsLine(spec.ip, host);
    await timer('provision', provision(spec, workDir, ctx.adminPassword));
    await timer('tls', makeTls(p.tls, host));
    await timer('schema', loadSchema(p.sam, configDn));
    await timer('org', loadOrg(p.sam, resolve(ORGS_DIR, spec.orgFile), workDir));
    await timer('accounts', createAccounts(p.sam, ctx));
    await timer('kerberos+dns', kerberosAndDns(spec, p, ctx));
    writeFileSync(ctx.passwordFile, ctx.readerPassword, { mode: 0o600 }); // no newline: ldapsearch -y reads the file verbatim
    ctx.pid = await timer('start', startSamba(ctx));
    writeFileSync(p.context, JSON.stringify(ctx, null, 2), { mode: 0o600 });
    return ctx;
  } catch (e) {
    await stopSamba(ctx, 'SIGKILL');
    throw new Error(`test DC for ${spec.domain} failed to start (work dir ${workDir}): ${(e as Error).message}`);
  }
}

/** With EXBINDER_DC_TIMING set, prints how long each provisioning phase took (for scripts/dc-timing.ts). */
function phaseTimer(label: string): <T>(phase: string, work: Promise<T>) => Promise<T> {
  return async (phase, work) => {
    const t = performance.now();
    const out = await work;
    if (process.env.EXBINDER_DC_TIMING) console.log(`[dc ${label}] ${phase}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    return out;
  };
}

/** Both forests in one slot, provisioned concurrently. */
/**
 * Both forests in one slot. `slot` pins it (the committed exports use slot 0,
 * so the DC is always dc1.<domain> and the export is reproducible).
 */
export async function startDcs(opts: { slot?: number } = {}): Promise<{ contoso: DcContext; fabrikam: DcContext }> {
  requireSamba();
  const slot = await acquireSlot(opts.slot);
  const [contoso, fabrikam] = await Promise.allSettled([
    startInSlot(specFor('contoso', slot), slotDir(slot)),
    startInSlot(specFor('fabrikam', slot), slotDir(slot)),
  ]);
  if (contoso.status === 'fulfilled' && fabrikam.status === 'fulfilled') return { contoso: contoso.value, fabrikam: fabrikam.value };
  for (const r of [contoso, fabrikam]) if (r.status === 'fulfilled') await stopSamba(r.value, 'SIGKILL');
  if (!process.env.EXBINDER_KEEP_DC) rmSync(slotDir(slot), { recursive: true, force: true });
  throw (contoso.status === 'rejected' ? contoso.reason : (fabrikam as PromiseRejectedResult).reason) as Error;
}

/** Graceful stop; removes the work dir (and frees the slot) unless keep is set or EXBINDER_KEEP_DC. */
export async function stopDc(ctx: DcContext, opts: { keep?: boolean } = {}): Promise<void> {
  await stopSamba(ctx, 'SIGTERM');
  if (opts.keep || process.env.EXBINDER_KEEP_DC) return;
  rmSync(ctx.workDir, { recursive: true, force: true });
  releaseSlotOf(ctx.workDir);
}

/** Hard stop (SIGKILL), data kept: for "the DC dies mid-harvest". */
export async function killDc(ctx: DcContext): Promise<void> {
  await stopSamba(ctx, 'SIGKILL');
}

/** Starts samba again on the same data (after killDc or a stop with keep). */
export async function restartDc(ctx: DcContext): Promise<DcContext> {
  if (currentPid(ctx) !== null) await stopSamba(ctx, 'SIGTERM');
  const pid = await startSamba(ctx);
  return { ...ctx, pid };
}

/** Copies samba's private dir without its sockets (ldapi), which cannot be copied and are recreated at start. */
function copyData(from: string, to: string): void {
  cpSync(from, to, { recursive: true, preserveTimestamps: true, filter: (src) => !lstatSync(src).isSocket() });
}

/** Stops samba, snapshots its database, starts it again. */
export async function saveState(ctx: DcContext): Promise<DcContext> {
  const p = paths(ctx.workDir);
  await stopSamba(ctx, 'SIGTERM');
  try {
    rmSync(p.saved, { recursive: true, force: true });
    copyData(p.priv, p.saved);
  } finally {
    ctx = { ...ctx, pid: await startSamba(ctx) }; // never leave the DC down for the next test
  }
  return ctx;
}

/** Stops samba, puts back the database saved by saveState, starts it again. */
export async function restoreState(ctx: DcContext): Promise<DcContext> {
  const p = paths(ctx.workDir);
  if (!existsSync(p.saved)) throw new Error(`restoreState: no saved state in ${ctx.workDir}; call saveState first`);
  await stopSamba(ctx, 'SIGTERM');
  try {
    rmSync(p.priv, { recursive: true, force: true });
    copyData(p.saved, p.priv);
  } finally {
    ctx = { ...ctx, pid: await startSamba(ctx) };
  }
  return ctx;
}

/** Reads the context a running DC wrote (for scripts that reuse one). */
export function readContext(workDir: string): DcContext {
  return JSON.parse(readFileSync(paths(workDir).context, 'utf8')) as DcContext;
}
