/**
 * One call from snapshot to binder, with the choices that keep output
 * deterministic made once: the PDF dates and the "generated at" stamp come from
 * the snapshot's harvest time unless the caller passes generatedAt. With the
 * appendices in a file of their own, that file is drawn first, so the binder's
 * cover can give the page of each appendix in it.
 */
import type { Snapshot } from '../snapshot/model.js';
import type { DriftReport } from '../snapshot/drift.js';
import { loadSupplement } from './supplement.js';
import { buildView } from './view/build.js';
import { renderMarkdown } from './markdown.js';
import { renderPdf, type PdfOptions } from './pdf/render.js';
import { renderHtml } from './html.js';
import { collectGarbage, LARGE_MARKDOWN, noPretenuring } from './heap.js';
import type { BinderScope } from './scope.js';
import type { BinderView } from './view/model.js';

export type BinderOptions = {
  /** draw the PDF too (from the same Markdown) */
  pdf: boolean;
  /** write the self-contained HTML page too (from the same Markdown) */
  html?: boolean;
  paper?: 'a4' | 'letter';
  supplementPath?: string | null;
  templatesDir?: string;
  drift?: DriftReport | null;
  generatedAt?: string;
  /** the servers printed and where the appendices go (default: every server, appendices inline) */
  scope?: BinderScope;
  /** raw attribute names as AD spells them (Appendix B); the harvest's `attributeSpelling` */
  attributeSpelling?: (attribute: string) => string;
  /** a tagged PDF (structure for screen readers); default: EXBINDER_TAGGED_PDF=1, else off */
  taggedPdf?: boolean;
  /** folders searched first for faces with glyphs DejaVu lacks; default: EXBINDER_FONT_DIRS */
  fontDirs?: string[];
};

/** One output file's contents. */
export type BinderFile = { markdown: string; pdf: Buffer | null; html?: string };
/** appendix: the separate appendix file (scope.appendix 'separate'), else absent. */
export type Binder = BinderFile & { appendix?: BinderFile };

/** Returns what to write; nothing is written here (the CLI and the store write atomically). */
export async function renderBinder(snapshot: Snapshot, opts: BinderOptions): Promise<Binder> {
  // a render's large allocations are short-lived: V8's guess that they are not is what raised the peak (heap.ts)
  noPretenuring();
  const { view, dir, pdfOptions } = prepare(snapshot, opts);
  if (opts.scope?.appendix !== 'separate') {
    const markdown = renderMarkdown(view, dir);
    return output(markdown, pdfOptions, opts);
  }
  // the appendix file first: the binder's cover names the page of each appendix in it
  const appendix = await output(renderMarkdown(view, { ...dir, entry: 'appendix.md.hbs' }), { ...pdfOptions, title: `Appendices: ${pdfOptions.title}` }, opts);
  const pages = appendix.pdf ? destinationPages(appendix.pdf, [APPENDIX_A, APPENDIX_B]) : null;
  const a = pages?.get(APPENDIX_A);
  const b = pages?.get(APPENDIX_B);
  const paged = a && b ? { ...view, scope: { ...view.scope, appendixPages: { a, b } } } : view;
  return { ...(await output(renderMarkdown(paged, dir), pdfOptions, opts)), appendix };
}

/** The appendices' heading ids (GitHub's, as the templates link to them and the PDF names its destinations). */
const APPENDIX_A = 'appendix-a-changes-since-the-last-known-good-snapshot';
const APPENDIX_B = 'appendix-b-raw-attribute-values';

/**
 * The page (1-based) of each named destination in a PDF our writer made
 * (pdfkit: one /Pages node whose /Kids are the pages in order, and a /Dests
 * name tree of `(name) [page 0 R /XYZ ...]`). A name it does not find is left out.
 */
export function destinationPages(pdf: Buffer, names: readonly string[]): Map<string, number> {
  const text = pdf.toString('latin1');
  const kids = /\/Type \/Pages\s*\/Count \d+\s*\/Kids \[([^\]]*)\]/.exec(text)?.[1] ?? '';
  const order = new Map([...kids.matchAll(/(\d+) 0 R/g)].map((m, k) => [m[1] as string, k + 1]));
  const out = new Map<string, number>();
  for (const name of names) {
    const escaped = name.replace(/[\\()]/g, '\\$&').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const page = new RegExp(`\\(${escaped}\\) \\[(\\d+) 0 R`).exec(text)?.[1];
    const n = page ? order.get(page) : undefined;
    if (n) out.set(name, n);
  }
  return out;
}

async function output(markdown: string, pdfOptions: PdfOptions, opts: BinderOptions): Promise<BinderFile> {
  const html = opts.html ? { html: renderHtml(markdown, { title: pdfOptions.title, footer: pdfOptions.snapshotLabel }) } : {};
  if (!opts.pdf) return { markdown, pdf: null, ...html };
  // the view and the template output are garbage now: drawing a large binder starts from a collected heap (heap.ts)
  if (markdown.length >= LARGE_MARKDOWN) collectGarbage();
  return { markdown, pdf: await renderPdf(markdown, pdfOptions), ...html };
}

/** The view and the PDF options, made once for the binder and its separate appendix file. */
function prepare(snapshot: Snapshot, opts: BinderOptions): { view: BinderView; dir: { templatesDir?: string }; pdfOptions: PdfOptions } {
  const supplement = opts.supplementPath ? loadSupplement(opts.supplementPath, snapshot) : null;
  const view = buildView(snapshot, {
    supplement, drift: opts.drift ?? null, ...(opts.generatedAt ? { generatedAt: opts.generatedAt } : {}), ...(opts.scope ? { scope: opts.scope } : {}),
    ...(opts.attributeSpelling ? { attributeSpelling: opts.attributeSpelling } : {}),
  });
  const dir = opts.templatesDir ? { templatesDir: opts.templatesDir } : {};
  const pdfOptions: PdfOptions = {
    paper: opts.paper ?? 'a4',
    title: view.title,
    header: view.cover.organization,
    creationDate: new Date(snapshot.metadata.harvestedAt),
    snapshotLabel: `Snapshot ${view.cover.snapshotId} (${snapshot.metadata.harvestedAt})`,
    organization: view.cover.organization, snapshotId: view.cover.snapshotId, harvestedAt: snapshot.metadata.harvestedAt,
    // the flags win over the environment variables, which stay as fallbacks (render.ts, fonts.ts)
    ...(opts.taggedPdf !== undefined ? { tagged: opts.taggedPdf } : {}),
    ...(opts.fontDirs && opts.fontDirs.length ? { fonts: { dirs: opts.fontDirs } } : {}),
  };
  return { view, dir, pdfOptions };
}
