/**
 * The one extension of ldapts (8.2) that a multi-step SASL bind needs, kept
 * small and in one place (proposed upstream: docs/ldapts-sasl-upstream.md).
 *
 * ldapts' bindSASL() sends one step with the credentials as a UTF-8 string
 * and decodes the server's serverSaslCreds as UTF-8 text: binary GSSAPI
 * tokens do not survive either. Here:
 * - SaslBindRequest writes the credentials as an OCTET STRING of bytes;
 * - the client's parser builds a SaslBindResponse (serverSaslCreds as bytes)
 *   for answers to our requests, on this client only;
 * - both go through ldapts' own message layer (_send / _nextMessageId), as
 *   the paging code does, so message ids, timeouts and errors stay ldapts';
 * - installSecurityLayer() wraps every later PDU in the negotiated RFC 4752
 *   layer (4-byte length + token) and unwraps what arrives before ldapts'
 *   parser sees it.
 */
import { BerReader, type BerWriter, BindRequest, BindResponse, type Client, MessageResponseStatus, ProtocolOperation, StatusCodeParser } from 'ldapts';

/** [7] serverSaslCreds in a BindResponse (RFC 4511 §4.2.2) */
const SERVER_SASL_CREDS = 0x87;
const SASL_BIND_IN_PROGRESS = 14;

export class SaslBindRequest extends BindRequest {
  constructor(
    messageId: number,
    readonly saslMechanism: string,
    readonly credentials: Buffer | null,
  ) {
    super({ messageId, mechanism: saslMechanism });
  }

  override writeMessage(writer: BerWriter): void {
    writer.writeInt(this.version);
    writer.writeString('');
    writer.startSequence(ProtocolOperation.LDAP_REQ_BIND_SASL);
    writer.writeString(this.saslMechanism);
    // credentials are optional in SaslCredentials: absent, not empty, when there are none
    if (this.credentials) writer.writeBuffer(this.credentials, 0x04);
    writer.endSequence();
  }
}

export class SaslBindResponse extends BindResponse {
  serverSaslCreds: Buffer | null = null;

  override parseMessage(reader: BerReader): void {
    this.status = reader.readEnumeration() ?? 0;
    this.matchedDN = reader.readString() ?? '';
    this.errorMessage = reader.readString() ?? '';
    while (reader.remain > 0) {
      const tag = reader.peek();
      if (tag === ProtocolOperation.LDAP_CONTROLS || tag === null) break;
      const value = reader.readString(tag, true) as Buffer | null;
      if (tag === SERVER_SASL_CREDS) this.serverSaslCreds = value ? Buffer.from(value) : Buffer.alloc(0);
    }
  }
}

/** ldapts internals used here: private in its typings, present at run time (checked). */
interface Internals {
  _nextMessageId(): number;
  _send(message: BindRequest): Promise<BindResponse | undefined>;
  _connect(): Promise<void>;
  _onBindSuccess(rebind: () => Promise<void>): void;
  isConnected: boolean;
  socket?: import('node:net').Socket;
  socketDataHandler: (data: Buffer) => void;
  messageParser: {
    read(data: Buffer, details: unknown): void;
    _getMessageFromProtocolOperation(id: number, op: number, reader: BerReader, request: unknown): unknown;
  };
  messageDetailsByMessageId: unknown;
}

function internals(client: Client): Internals {
  const c = client as unknown as Internals;
  const need = [c._nextMessageId, c._send, c._connect, c._onBindSuccess, c.messageParser?._getMessageFromProtocolOperation];
  if (need.some((f) => typeof f !== 'function') || typeof c.socketDataHandler !== 'function') {
    throw new Error('this ldapts version lacks the message layer a SASL GSSAPI bind needs (tested with ldapts 8.2.0)');
  }
  return c;
}

const patched = new WeakSet<object>();

/** Makes this client's parser read our bind responses with their bytes. */
function readSaslResponses(c: Internals): void {
  const parser = c.messageParser;
  if (patched.has(parser)) return;
  patched.add(parser);
  const original = parser._getMessageFromProtocolOperation.bind(parser);
  parser._getMessageFromProtocolOperation = (id, op, reader, request) => {
    if (op === ProtocolOperation.LDAP_RES_BIND && request instanceof SaslBindRequest) {
      const message = new SaslBindResponse({ messageId: id });
      message.parse(reader, []);
      return message;
    }
    return original(id, op, reader, request);
  };
}

export interface SaslStep {
  /** the server's last serverSaslCreds (null on the first call) */
  (serverCreds: Buffer | null, complete: boolean): Promise<Buffer | null>;
}

/**
 * Runs a SASL bind to completion: `next` gets the server's challenge and
 * returns the client's response. Result codes other than success and
 * saslBindInProgress reject with ldapts' own ResultCodeError.
 */
export async function saslBind(client: Client, mechanism: string, next: SaslStep): Promise<void> {
  const c = internals(client);
  readSaslResponses(c);
  if (!c.isConnected) await c._connect();
  let creds = await next(null, false);
  for (let round = 0; round < 10; round++) {
    const response = (await c._send(new SaslBindRequest(c._nextMessageId(), mechanism, creds))) as SaslBindResponse | undefined;
    const status = response?.status;
    if (status === MessageResponseStatus.Success) {
      // a final token may come with success (RFC 4422 §5 "additional data")
      if (response?.serverSaslCreds?.length) await next(response.serverSaslCreds, true);
      // no automatic rebind: a reconnect must never happen silently (see ldap.ts)
      c._onBindSuccess(() => Promise.reject(new Error('rebind refused')));
      return;
    }
    if (status !== SASL_BIND_IN_PROGRESS) throw StatusCodeParser.parse(response as BindResponse);
    creds = await next(response?.serverSaslCreds ?? Buffer.alloc(0), false);
  }
  throw new Error(`SASL ${mechanism} bind did not finish in 10 rounds`);
}

export interface SecurityLayer {
  wrap(data: Buffer): Buffer;
  unwrap(token: Buffer): Buffer;
}

/** Largest wrapped PDU we accept from the server (RFC 4752 max buffer size is 24 bits). */
export const MAX_SASL_BUFFER = 0xffffff;

/**
 * From now on every PDU ldapts writes is wrapped and length-prefixed, and
 * every frame that arrives is unwrapped before ldapts' parser reads it
 * (RFC 4422 §3.7, RFC 4752 §3.3). Any frame that fails to unwrap ends the
 * connection: nothing unprotected is ever parsed.
 */
export function installSecurityLayer(client: Client, layer: SecurityLayer, maxIncoming = MAX_SASL_BUFFER): void {
  const c = internals(client);
  const socket = c.socket;
  if (!socket) throw new Error('no connection to protect');
  const originalWrite = socket.write.bind(socket) as (chunk: Buffer, cb?: (err?: Error | null) => void) => boolean;
  const frame = (pdu: Buffer): Buffer => {
    const token = layer.wrap(pdu);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(token.length, 0);
    return Buffer.concat([head, token]);
  };
  (socket as unknown as { write: unknown }).write = (chunk: Buffer | string, ...rest: unknown[]) => {
    const cb = rest.find((r) => typeof r === 'function') as ((err?: Error | null) => void) | undefined;
    return originalWrite(frame(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)), cb);
  };
  let pending: Buffer = Buffer.alloc(0);
  const onData = (data: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, data]) : data;
    while (pending.length >= 4) {
      const len = pending.readUInt32BE(0);
      if (len > maxIncoming) {
        socket.destroy(new Error(`SASL frame of ${len} bytes exceeds the negotiated maximum`));
        return;
      }
      if (pending.length < 4 + len) return;
      const token = pending.subarray(4, 4 + len);
      pending = pending.subarray(4 + len);
      let plain: Buffer;
      try {
        plain = layer.unwrap(token);
      } catch (err) {
        socket.destroy(err as Error);
        return;
      }
      c.messageParser.read(plain, c.messageDetailsByMessageId);
    }
  };
  socket.removeListener('data', c.socketDataHandler);
  socket.on('data', onData);
}
