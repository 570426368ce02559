/**
 * Fault harness, network side: a loopback TCP proxy in front of a real DC.
 * It forwards both directions and, at a chosen byte offset of the DC's
 * answer stream (server → client, counted over the proxy's life), does one
 * of:
 *   'fin'   forward exactly `at` bytes, then close both sides cleanly (FIN)
 *   'rst'   forward exactly `at` bytes, then reset both sides (RST)
 *   'stall' forward exactly `at` bytes, then forward nothing more while the
 *           connection stays open (a frozen DC, a black-holing firewall)
 * 'forward' never interferes. Listen on the DC's own address so the client
 * connects by the DC's name and TLS verification still applies.
 */
import { createServer, Socket, type Server } from 'node:net';

export type ProxyMode = 'forward' | 'fin' | 'rst' | 'stall';

export interface FaultProxy {
  port: number;
  /** server→client bytes forwarded so far */
  readonly bytesDown: number;
  /** true once the fault has happened */
  readonly fired: boolean;
  close(): Promise<void>;
}

export async function startProxy(o: { listenHost: string; targetHost: string; targetPort: number; mode: ProxyMode; at?: number }): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  let down = 0;
  let fired = false;
  const at = o.at ?? 0;
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    sockets.add(client).add(upstream);
    upstream.connect(o.targetPort, o.targetHost);
    const endBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    const fire = () => {
      fired = true;
      if (o.mode === 'fin') {
        client.end();
        upstream.end();
      } else if (o.mode === 'rst') {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      }
      // stall: keep both open, forward nothing more
    };
    if (fired && o.mode === 'stall') upstream.pause();
    client.on('data', (d: Buffer) => {
      if (!(fired && o.mode === 'stall')) upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (o.mode === 'forward') {
        down += d.length;
        client.write(d);
        return;
      }
      if (fired) return;
      const room = at - down;
      const part = room < d.length ? d.subarray(0, Math.max(0, room)) : d;
      down += part.length;
      if (part.length) client.write(part);
      if (down >= at) fire();
    });
    client.on('error', endBoth);
    upstream.on('error', endBoth);
    client.on('close', () => {
      sockets.delete(client);
      if (!(fired && o.mode === 'stall')) upstream.destroy();
    });
    upstream.on('close', () => {
      sockets.delete(upstream);
      if (!(fired && o.mode === 'stall')) client.destroy();
    });
    // offset 0: the fault happens before the DC says anything
    if (at === 0 && o.mode !== 'forward' && !fired) upstream.once('connect', fire);
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(0, o.listenHost, () => res());
  });
  return {
    port: (server.address() as { port: number }).port,
    get bytesDown() {
      return down;
    },
    get fired() {
      return fired;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((res) => server.close(() => res()));
    },
  };
}
