/**
 * Shared pieces of the source integration tests: the DCs that
 * test/dc/global-setup.ts provides, and a TCP relay that sits between the
 * client and the real DC so a test can cut or stall a live connection.
 */
import { createServer, type Server, Socket } from 'node:net';
import { expect, inject } from 'vitest';
import { ExbinderError } from '../../../src/errors.js';
import { openLdap, type LdapOptions } from '../../../src/source/ldap.js';

/** The fields of test/dc's DcContext these tests use. */
export interface Dc {
  host: string;
  ip: string;
  baseDn: string;
  configDn: string;
  ldapsUrl: string;
  ldapUrl: string;
  caFile: string;
  readerDn: string;
  readerUpn: string;
  readerPassword: string;
  deniedUpn: string;
  deniedPassword: string;
  adminUpn: string;
  adminPassword: string;
  passwordFile: string;
  org: { name: string; dn: string };
  realm: string;
  krb5Conf: string;
  readerKeytab: string;
  readerPrincipal: string;
  failover: { site: string; refusedHost: string; refusedIp: string; silentHost: string; silentIp: string };
  workDir: string;
}

export function contoso(): Dc {
  return (inject as (k: string) => unknown)('dc') as Dc;
}
export function fabrikam(): Dc {
  return (inject as (k: string) => unknown)('dc2') as Dc;
}

/** LDAPS as the harvest account, verified against the test CA. */
export function reader(dc: Dc, over: Partial<LdapOptions> = {}): LdapOptions {
  return { url: dc.ldapsUrl, bindDn: dc.readerUpn, password: dc.readerPassword, caFile: dc.caFile, ...over };
}

export interface Relay {
  port: number;
  /** server→client bytes relayed so far */
  readonly bytesDown: number;
  /** every byte relayed so far, both directions (what someone on the wire sees) */
  recorded(): Buffer;
  /** destroy every relayed connection now */
  cut(): void;
  /** stop relaying server→client bytes (the DC "hangs") */
  stall(): void;
  /** call `fn` once server→client traffic exceeds `bytes` */
  onBytesDown(bytes: number, fn: () => void): void;
  close(): Promise<void>;
}

/**
 * A byte relay listening on `listenHost` (use the DC's own address, so the
 * client connects by the DC's name and TLS verification still applies).
 */
export async function startRelay(listenHost: string, targetHost: string, targetPort: number): Promise<Relay> {
  const pairs: Socket[] = [];
  let stalled = false;
  let down = 0;
  const wire: Buffer[] = [];
  const watchers: { bytes: number; fn: () => void; fired: boolean }[] = [];
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    upstream.connect(targetPort, targetHost);
    pairs.push(client, upstream);
    client.on('data', (d: Buffer) => {
      wire.push(d);
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (stalled) return;
      down += d.length;
      wire.push(d);
      client.write(d);
      for (const w of watchers) {
        if (!w.fired && down > w.bytes) {
          w.fired = true;
          w.fn();
        }
      }
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(0, listenHost, () => res());
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    get bytesDown() {
      return down;
    },
    recorded() {
      return Buffer.concat(wire);
    },
    cut() {
      for (const s of pairs) s.destroy();
    },
    stall() {
      stalled = true;
    },
    onBytesDown(bytes, fn) {
      watchers.push({ bytes, fn, fired: false });
    },
    close() {
      for (const s of pairs) s.destroy();
      return new Promise((res) => server.close(() => res()));
    },
  };
}

/** A port on `host` that was just bound and released: connecting is refused. */
export async function closedPort(host: string): Promise<number> {
  const s = createServer();
  await new Promise<void>((res) => s.listen(0, host, () => res()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((res) => s.close(() => res()));
  return port;
}

/** A server that accepts TCP and then says nothing (no TLS handshake, no LDAP). */
export async function silentServer(host: string): Promise<{ port: number; close(): Promise<void> }> {
  const socks: Socket[] = [];
  const s = createServer((c) => {
    socks.push(c);
    c.on('error', () => undefined);
  });
  await new Promise<void>((res) => s.listen(0, host, () => res()));
  return {
    port: (s.address() as { port: number }).port,
    close: () => {
      for (const c of socks) c.destroy();
      return new Promise((res) => s.close(() => res()));
    },
  };
}

/**
 * Opens the directory (and runs `then` on it) expecting an ExbinderError: one
 * line, exit code 2, never quoting the password.
 */
export async function failure(o: LdapOptions, then?: (d: Awaited<ReturnType<typeof openLdap>>) => Promise<unknown>): Promise<ExbinderError> {
  let err: unknown = null;
  try {
    const d = await openLdap(o);
    try {
      if (then) await then(d);
    } finally {
      await d.close();
    }
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ExbinderError);
  const e = err as ExbinderError;
  expect(e.message).not.toContain('\n');
  if (o.password) expect(e.message).not.toContain(o.password);
  expect(e.exitCode).toBe(2);
  return e;
}
