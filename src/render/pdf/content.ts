/**
 * A page's content stream, written once. pdfkit turns every content string
 * it is given (each `addContent`, each `q`, colour or path operator) into a
 * Uint8Array of its own, copied byte by byte, and keeps them until the page
 * ends; a binder page writes a few hundred (a line of text, a table row's
 * grid, a fill), and typed arrays over 64 bytes live outside the JS heap,
 * each one allocated and later swept by the garbage collector. Here a page's
 * strings are collected and handed to pdfkit once, as one buffer, when the
 * page ends: pdfkit ends every string chunk with a newline and keeps the low
 * byte of each character, which is what joining with newlines and Latin-1
 * encoding does.
 *
 * Lines of text that follow each other share one text object (`q <flip> cm
 * BT ... ET Q`) and name their font only when it changes: about a fifth of
 * the content bytes, which zlib would otherwise compress page by page. Any
 * other write to the page (pdfkit's own operators, marked content, a fill)
 * closes the text object first, so the drawing order stays as written.
 */

import { deflateSync } from 'node:zlib';

/** The part of pdfkit's PDFPage used here (js/pdfkit.js, class PDFPage). */
export type PdfkitPage = { write(chunk: string | Uint8Array): unknown; end(): unknown };

/** pdfkit's PDFReference as the page's content stream: its chunks, whether it will deflate them, its dictionary. */
type ContentRef = { buffer: Uint8Array[]; compress: boolean; data: { Filter?: unknown } };

/**
 * zlib level of the page content streams. pdfkit deflates every stream at
 * zlib's default, 6; on the binder's operators (glyph codes as bytes, many
 * short repeats) 6 searches four times longer match chains than 5 for
 * 0.5 % of the file: the 2,545-page bench binder's 2,679 content streams
 * (36 MB) take 357 ms at 5 and 561 ms at 6, 5.50 MB against 5.47 MB.
 */
export const CONTENT_LEVEL = 5;

/**
 * A page's content deflated here at CONTENT_LEVEL, as one stream, and handed
 * to pdfkit as already filtered (it keeps the FlateDecode it set and writes
 * the bytes as they are). Left to pdfkit when its content stream is not the
 * shape it had when this was written (test/unit/render/pdfkit-internals).
 */
function deflateContent(page: PdfkitPage): void {
  const ref = (page as unknown as { content?: ContentRef }).content;
  if (!ref || !Array.isArray(ref.buffer) || ref.buffer.length === 0 || ref.compress !== true || ref.data?.Filter !== 'FlateDecode') return;
  const raw = ref.buffer.length === 1 ? (ref.buffer[0] as Uint8Array) : Buffer.concat(ref.buffer);
  ref.buffer = [deflateSync(raw, { level: CONTENT_LEVEL })];
  ref.compress = false;
}

export class PageContent {
  /** the page's content so far: strings written one after another, each operator line ending in a newline */
  private readonly parts: string[] = [];
  private inText = false;
  private textFont = '';
  private readonly open: string;
  private readonly write: (chunk: string | Uint8Array) => unknown;

  /** `flip`: the operators that turn pdfkit's y-down page into text space (`q 1 0 0 -1 0 <height> cm`). */
  constructor(page: PdfkitPage, flip: string) {
    this.open = `${flip} BT\n`;
    this.write = page.write.bind(page);
    const end = page.end.bind(page);
    page.write = (chunk) => {
      this.closeText();
      if (typeof chunk === 'string') this.parts.push(chunk, '\n');
      else { this.flush(); this.write(chunk); }
    };
    page.end = () => { this.closeText(); this.flush(); deflateContent(page); return end(); };
  }

  /**
   * Text operators at an absolute position (`Tm`), starting in the font given
   * as `/F1 9.5 Tf`; `endFont` is the one they leave set when they switch
   * faces themselves (a fallback face for some characters).
   */
  text(font: string, ops: string, endFont = font): void {
    this.startText(font);
    this.parts.push(ops, '\n');
    this.textFont = endFont;
  }

  /** Opens the text object unless it is open and sets `font` (`/F1 9.5 Tf`) unless it is set; `put` writes the operators. */
  startText(font: string): void {
    if (!this.inText) { this.parts.push(this.open); this.inText = true; }
    if (font !== this.textFont) this.parts.push(font, '\n');
    this.textFont = font;
  }

  /** Operator bytes inside the text object (after startText); the caller ends each operator line with a newline. */
  put(ops: string): void {
    this.parts.push(ops);
  }

  /** After `put`: the font the operators left set. */
  endText(font: string): void {
    this.textFont = font;
  }

  private closeText(): void {
    if (!this.inText) return;
    this.parts.push('ET Q\n');
    this.inText = false;
    this.textFont = '';
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    this.write(Buffer.from(this.parts.join(''), 'latin1'));
    this.parts.length = 0;
  }
}
