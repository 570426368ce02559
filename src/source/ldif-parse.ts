/**
 * RFC 2849 LDIF content records, as written by `ldapsearch -L/-LL/-LLL`
 * (OpenLDAP) and by Windows `ldifde -f` (folded lines, `changetype: add`,
 * `#` comments, base64 `dn::`/`attr::`, CRLF, a BOM, UTF-16 with `-u`).
 *
 * The parser is line-driven so files are streamed: an export of several
 * hundred MB never sits in memory as text, only as the parsed records.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { ExbinderError, unreadableInput } from '../errors.js';
import { dnKeys } from '../dn.js';

/** A value as read: plain text, or bytes when the file base64-encoded it. */
export type LdifValue = string | Buffer;

export interface LdifRecord {
  readonly dn: string;
  /** comparison keys of the DN's RDNs, leaf first (dnKeys()); [] for the root DSE */
  readonly keys: string[];
  /** 1-based line of the `dn:` line, for messages */
  readonly line: number;
  /** lower-cased attribute name → values, in file order; `attr;range=…` merged into `attr` */
  readonly attributes: Map<string, LdifValue[]>;
  /**
   * Attributes whose `;range=` pieces do not run from 0 to `*` without a gap:
   * the export tool stopped at the server's MaxValRange, values are missing.
   */
  readonly truncated?: readonly string[];
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** attribute description: type (name or OID) plus options such as `;range=0-1499` */
const ATTR_DESC = /^[A-Za-z0-9][A-Za-z0-9.\-]*(?:;[A-Za-z0-9\-=.*]+)*$/;
const RANGE_OPTION = /^range=(\d+)-(\d+|\*)$/i;

function syntaxError(file: string, line: number, what: string): ExbinderError {
  return new ExbinderError(`${file}:${line}: ${what}`, 'ldif-syntax');
}

function show(text: string): string {
  const t = text.length > 60 ? text.slice(0, 57) + '...' : text;
  return JSON.stringify(t);
}

interface PendingRecord {
  dn: string | null;
  keys: string[];
  line: number;
  attributes: Map<string, LdifValue[]>;
  /** ranged pieces to merge at the end, in order of their low bound */
  ranged: { name: string; lo: number; hi: number | '*'; values: LdifValue[] }[];
  /** set for records that are not entries (ldapsearch trailers, references) */
  skip: boolean;
  changetypeSeen: boolean;
}

/**
 * Incremental parser: feed physical lines with `line()`, then `end()`.
 * Each returns the records completed by that input.
 */
export class LdifParser {
  private logical: string | null = null;
  private logicalLine = 0;
  /** a comment's folded continuation lines belong to the comment */
  private inComment = false;
  private record: PendingRecord | null = null;
  private sawAnyRecord = false;
  private lineNo = 0;

  constructor(private readonly file: string) {}

  line(raw: string): LdifRecord[] {
    this.lineNo++;
    let text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.lineNo === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
    const out: LdifRecord[] = [];

    if (text.startsWith(' ')) {
      if (this.inComment) return out;
      if (this.logical === null) {
        throw syntaxError(this.file, this.lineNo, `continuation line (starting with a space) without a line to continue: ${show(text)}`);
      }
      this.logical += text.slice(1);
      return out;
    }
    // a new physical line ends the previous logical line
    this.flushLogical();
    this.inComment = false;
    if (text === '') {
      this.endRecord(out);
      return out;
    }
    if (text.startsWith('#')) {
      this.inComment = true;
      return out;
    }
    this.logical = text;
    this.logicalLine = this.lineNo;
    return out;
  }

  end(): LdifRecord[] {
    const out: LdifRecord[] = [];
    this.flushLogical();
    this.endRecord(out);
    return out;
  }

  private flushLogical(): void {
    if (this.logical === null) return;
    const text = this.logical;
    this.logical = null;
    this.handleLine(text, this.logicalLine);
  }

  private handleLine(text: string, line: number): void {
    const colon = text.indexOf(':');
    if (colon <= 0) {
      throw syntaxError(this.file, line, `expected 'attr: value', got ${show(text)}`);
    }
    const name = text.slice(0, colon);
    if (!ATTR_DESC.test(name)) {
      throw syntaxError(this.file, line, `expected 'attr: value', got ${show(text)} (invalid attribute name)`);
    }
    const lower = name.toLowerCase();
    const value = this.decodeValue(text.slice(colon + 1), line, name);

    if (this.record === null) {
      if (lower === 'version' && !this.sawAnyRecord) {
        if (value !== '1') throw syntaxError(this.file, line, `unsupported LDIF version ${show(String(value))} (expected 1)`);
        this.sawAnyRecord = true;
        return;
      }
      this.sawAnyRecord = true;
      this.record = { dn: null, keys: [], line, attributes: new Map(), ranged: [], skip: false, changetypeSeen: false };
      if (lower === 'dn') {
        this.record.dn = typeof value === 'string' ? value : value.toString('utf8');
        try {
          // parsed once here, reused for every search
          this.record.keys = dnKeys(this.record.dn);
        } catch (err) {
          throw syntaxError(this.file, line, (err as Error).message);
        }
        return;
      }
      // ldapsearch -L trailer (`search: 2` / `result: 0 Success`) and
      // continuation references (`ref: ldap://…`) are not entries
      if (lower === 'search' || lower === 'ref') {
        this.record.skip = true;
        return;
      }
      throw syntaxError(this.file, line, `expected 'dn: …' to start an entry, got ${show(text)}`);
    }
    const rec = this.record;
    if (rec.skip) return;

    if (lower === 'changetype') {
      if (rec.changetypeSeen || rec.attributes.size > 0 || rec.ranged.length > 0) {
        throw syntaxError(this.file, line, `'changetype' must directly follow the dn line`);
      }
      if (String(value).toLowerCase() !== 'add') {
        throw syntaxError(
          this.file,
          line,
          `changetype ${String(value)} is not supported: exbinder reads exports (ldifde -f, ldapsearch), not change files`,
        );
      }
      rec.changetypeSeen = true;
      return;
    }
    if (lower === 'control') {
      throw syntaxError(this.file, line, `'control:' lines are not supported: exbinder reads exports, not change files`);
    }
    if (lower === 'dn') {
      throw syntaxError(this.file, line, `second 'dn:' in one entry (missing blank line between entries?)`);
    }

    // `attr;range=0-1499` (ldifde with large multi-valued attributes)
    const parts = lower.includes(';') ? lower.split(';') : [lower];
    const rangeIdx = parts.length > 1 ? parts.findIndex((p, k) => k > 0 && RANGE_OPTION.test(p)) : -1;
    if (rangeIdx > 0) {
      const m = RANGE_OPTION.exec(parts[rangeIdx]!)!;
      const rest = parts.filter((_, k) => k !== rangeIdx).join(';');
      const lo = Number(m[1]);
      const hi = m[2] === '*' ? '*' : Number(m[2]);
      let piece = rec.ranged.find((r) => r.name === rest && r.lo === lo);
      if (!piece) {
        piece = { name: rest, lo, hi, values: [] };
        rec.ranged.push(piece);
      }
      piece.values.push(value);
      return;
    }
    const list = rec.attributes.get(lower);
    // `[value]` has capacity 1; `[]` + push reserves 17 slots, which for
    // millions of single-valued attributes is most of the memory used
    if (list) list.push(value);
    else rec.attributes.set(this.intern(lower), [value]);
  }

  /** One string per attribute name across the whole export. */
  private readonly names = new Map<string, string>();
  private intern(name: string): string {
    const known = this.names.get(name);
    if (known !== undefined) return known;
    this.names.set(name, name);
    return name;
  }

  private decodeValue(afterColon: string, line: number, name: string): LdifValue {
    if (afterColon.startsWith(':')) {
      const b64 = afterColon.slice(1).trim();
      if (b64.length % 4 !== 0 || !BASE64.test(b64)) {
        throw syntaxError(this.file, line, `invalid base64 value for ${name}`);
      }
      return Buffer.from(b64, 'base64');
    }
    if (afterColon.startsWith('<')) {
      throw syntaxError(
        this.file,
        line,
        `${name}:< URL values are not supported: export with the values inline (ldifde -f, ldapsearch without -t)`,
      );
    }
    // SAFE-STRING after optional FILL spaces
    return afterColon.replace(/^ +/, '');
  }

  private endRecord(out: LdifRecord[]): void {
    const rec = this.record;
    this.record = null;
    if (!rec || rec.skip) return;
    if (rec.dn === null) return;
    rec.ranged.sort((a, b) => a.lo - b.lo);
    const truncated = incompleteRanges(rec.ranged);
    for (const piece of rec.ranged) {
      const list = rec.attributes.get(piece.name);
      if (list) list.push(...piece.values);
      else rec.attributes.set(this.intern(piece.name), [...piece.values]);
    }
    // multi-valued lists grew by push: trim their spare capacity
    for (const [name, list] of rec.attributes) if (list.length > 1) rec.attributes.set(name, list.slice());
    out.push(
      truncated.length
        ? { dn: rec.dn, keys: rec.keys, line: rec.line, attributes: rec.attributes, truncated }
        : { dn: rec.dn, keys: rec.keys, line: rec.line, attributes: rec.attributes },
    );
  }
}

/** Names whose sorted range pieces do not chain 0-a, (a+1)-b, …, n-*. */
function incompleteRanges(pieces: readonly { name: string; lo: number; hi: number | '*' }[]): string[] {
  const byName = new Map<string, { lo: number; hi: number | '*' }[]>();
  for (const p of pieces) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  const out: string[] = [];
  for (const [name, ps] of byName) {
    let next = 0;
    let complete = false;
    for (const p of ps) {
      if (p.lo !== next || complete) break;
      if (p.hi === '*') complete = true;
      else next = p.hi + 1;
    }
    if (!complete || ps[ps.length - 1]!.hi !== '*') out.push(name);
  }
  return out;
}

/** Parses LDIF text held in memory (tests, small inputs). */
export function parseLdifText(text: string, file = 'input.ldif'): LdifRecord[] {
  const parser = new LdifParser(file);
  const out: LdifRecord[] = [];
  const lines = text.split('\n');
  // a trailing newline does not start another (empty) line
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  for (const l of lines) out.push(...parser.line(l));
  out.push(...parser.end());
  return out;
}

/** Sniffs the encoding: ldifde -u writes UTF-16LE with a BOM; everything else is UTF-8. */
async function detectEncoding(path: string): Promise<BufferEncoding> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    if (bytesRead === 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
    if (bytesRead === 2 && head[0] === 0xfe && head[1] === 0xff) {
      throw new ExbinderError(`${basename(path)}: UTF-16BE is not supported: re-export as UTF-8 or ldifde -u (UTF-16LE)`, 'ldif-encoding');
    }
    return 'utf8';
  } finally {
    await fh.close();
  }
}

function readError(path: string, err: unknown): ExbinderError {
  return unreadableInput('LDIF export', path, err, 'check the file path', 'ldif-read');
}

/**
 * Streams the records of one LDIF file. Messages name the file as given
 * on the command line (basename) with the line number.
 */
export async function* parseLdifFile(path: string): AsyncGenerator<LdifRecord> {
  let encoding: BufferEncoding;
  try {
    encoding = await detectEncoding(path);
  } catch (err) {
    if (err instanceof ExbinderError) throw err;
    throw readError(path, err);
  }
  const stream = createReadStream(path, { encoding });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  const parser = new LdifParser(basename(path));
  let streamError: unknown = null;
  stream.on('error', (err) => {
    streamError = err;
  });
  try {
    for await (const l of lines) {
      for (const rec of parser.line(l)) yield rec;
    }
  } catch (err) {
    if (err instanceof ExbinderError) throw err;
    throw readError(path, err);
  } finally {
    lines.close();
    stream.destroy();
  }
  if (streamError) throw readError(path, streamError);
  for (const rec of parser.end()) yield rec;
}
