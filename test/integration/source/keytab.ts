/**
 * Writes MIT keytab files (format 0x0502, as documented in MIT krb5's
 * doc/formats/keytab_file_format.rst) for principals or keys the KDC does not
 * know: what an out-of-date keytab or a mistyped principal looks like.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const counted = (s: string | Buffer) => {
  const b = Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8');
  return Buffer.concat([u16(b.length), b]);
};

/** A keytab with one aes256-cts-hmac-sha1-96 key (random: the KDC's key for that name differs). */
export function writeRandomKeytab(path: string, principal: string, kvno = 1): void {
  const [name, realm] = principal.split('@') as [string, string];
  const components = name.split('/');
  const entry = Buffer.concat([
    u16(components.length),
    counted(realm),
    ...components.map((c) => counted(c)),
    u32(1), // KRB5_NT_PRINCIPAL
    u32(Math.floor(Date.now() / 1000)),
    Buffer.from([kvno & 0xff]),
    u16(18), // aes256-cts-hmac-sha1-96
    counted(randomBytes(32)),
    u32(kvno),
  ]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(entry.length);
  writeFileSync(path, Buffer.concat([Buffer.from([5, 2]), size, entry]), { mode: 0o600 });
}
