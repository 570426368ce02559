/**
 * SASL GSSAPI bind (RFC 4752) over an ldapts client: Kerberos tokens from
 * gssapi.ts, the SASL exchange through ldapts-sasl.ts.
 *
 * - Inside LDAPS the security layer is "none": TLS already protects the
 *   connection, and AD refuses sign/seal inside TLS. The context carries the
 *   TLS channel binding (tls-server-end-point, channel-binding.ts).
 * - On plain ldap:// (port 389) the layer must be confidentiality (sign +
 *   seal): every later PDU is encrypted with the session key. A server that
 *   offers no confidentiality is refused: exbinder never reads AD in clear.
 */
import type { Client } from 'ldapts';
import {
  type CredentialSource,
  GSS_C_CONF_FLAG,
  GSS_C_INTEG_FLAG,
  GSS_C_MUTUAL_FLAG,
  GSS_C_REPLAY_FLAG,
  GSS_C_SEQUENCE_FLAG,
  GssContext,
} from './gssapi.js';
import type { TLSSocket } from 'node:tls';
import { tlsServerEndPoint } from './channel-binding.js';
import { installSecurityLayer, MAX_SASL_BUFFER, saslBind } from './ldapts-sasl.js';

/** RFC 4752 §3.3 security layer bits */
export const LAYER_NONE = 1;
export const LAYER_INTEGRITY = 2;
export const LAYER_CONFIDENTIALITY = 4;

export class SaslLayerError extends Error {}

export interface KerberosBindOptions {
  /** the DC's DNS name: the service principal is ldap/<host> */
  host: string;
  /** 'none' inside TLS, 'seal' on plain LDAP */
  layer: 'none' | 'seal';
  credentials: CredentialSource;
}

/** The client's answer to the server's layer offer (RFC 4752 §3.1), before wrapping. */
export function chooseLayer(offer: Buffer, want: 'none' | 'seal'): { reply: Buffer; serverMax: number } {
  if (offer.length !== 4) throw new SaslLayerError(`the server's security layer offer has ${offer.length} bytes, expected 4`);
  const mask = offer[0]!;
  const serverMax = offer.readUIntBE(1, 3);
  let chosen: number;
  if (want === 'seal') {
    if (!(mask & LAYER_CONFIDENTIALITY)) {
      throw new SaslLayerError('the DC offers no SASL confidentiality (seal) layer: refusing to read the directory unencrypted; use ldaps://');
    }
    chosen = LAYER_CONFIDENTIALITY;
  } else {
    if (!(mask & LAYER_NONE)) throw new SaslLayerError('the DC insists on a SASL security layer inside TLS');
    chosen = LAYER_NONE;
  }
  const reply = Buffer.alloc(4);
  reply[0] = chosen;
  // with no layer the maximum buffer size must be 0 (RFC 4752 §3.3)
  reply.writeUIntBE(chosen === LAYER_NONE ? 0 : MAX_SASL_BUFFER, 1, 3);
  return { reply, serverMax };
}

/** Binds with Kerberos; with `seal`, protects the rest of the connection. */
export async function kerberosBind(client: Client, o: KerberosBindOptions): Promise<void> {
  const seal = o.layer === 'seal';
  const flags = GSS_C_MUTUAL_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_REPLAY_FLAG | (seal ? GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG : 0);
  const ctx = await GssContext.create({ service: 'ldap', host: o.host, flags, credentials: o.credentials });
  let serverMax = 0;
  let layerSent = false;
  try {
    await saslBind(client, 'GSSAPI', async (challenge, finished) => {
      if (finished) return null;
      if (!ctx.established.complete) {
        if (challenge === null && !seal) {
          // inside TLS: bind the Kerberos authenticator to this TLS session (what DCs enforcing LDAP channel binding check)
          const der = peerCertificate(client);
          if (der) ctx.setChannelBinding(tlsServerEndPoint(der));
        }
        const { token } = await ctx.step(challenge);
        // after the last context token the client answers with an empty response (RFC 4752 §3.1)
        return token;
      }
      if (layerSent) throw new SaslLayerError('the DC sent another challenge after the security layer was chosen');
      if (!challenge) throw new SaslLayerError('the DC sent no security layer offer');
      const offer = ctx.unwrap(challenge).data;
      const chosen = chooseLayer(offer, o.layer);
      serverMax = chosen.serverMax;
      layerSent = true;
      return ctx.wrap(chosen.reply, false);
    });
    if (!layerSent) throw new SaslLayerError('the DC accepted the bind before a security layer was agreed');
    if (seal) {
      if (!(ctx.established.flags & GSS_C_CONF_FLAG)) {
        throw new SaslLayerError('the Kerberos context has no confidentiality: refusing to read the directory unencrypted');
      }
      installSecurityLayer(client, {
        wrap: (pdu) => {
          const token = ctx.wrap(pdu, true);
          if (serverMax > 0 && token.length > serverMax) throw new SaslLayerError(`request of ${token.length} bytes exceeds the DC's SASL buffer (${serverMax})`);
          return token;
        },
        unwrap: (token) => {
          const { data, confidential } = ctx.unwrap(token);
          if (!confidential) throw new SaslLayerError('the DC sent an unsealed message on a sealed connection');
          return data;
        },
      });
      // the context lives as long as the connection: released when the socket closes
      disposeOnClose(client, () => ctx.dispose());
    } else {
      ctx.dispose();
    }
  } catch (err) {
    ctx.dispose();
    throw err;
  }
}

/** The DC's certificate (DER) when the connection is TLS. */
function peerCertificate(client: Client): Buffer | null {
  const socket = (client as unknown as { socket?: Partial<TLSSocket> }).socket;
  const cert = typeof socket?.getPeerCertificate === 'function' ? socket.getPeerCertificate(false) : null;
  return cert?.raw && cert.raw.length > 0 ? cert.raw : null;
}

function disposeOnClose(client: Client, fn: () => void): void {
  const socket = (client as unknown as { socket?: import('node:net').Socket }).socket;
  if (socket) socket.once('close', fn);
  else fn();
}
