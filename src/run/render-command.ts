/** `exbinder render`: snapshot file (or stdin) → binder (Markdown, PDF or HTML), written atomically (or to stdout). */
import { basename } from 'node:path';
import { ExbinderError } from '../errors.js';
import { renderBinder } from '../render/index.js';
import { appendixPath, scopeOf, type AppendixMode } from '../render/scope.js';
import { checkWritable, writeFileAtomic, writeFilesAtomic } from '../snapshot/atomic.js';
import { dnKey } from '../dn.js';
import { faultPoint } from '../fault.js';
import { loadSnapshot, parseSnapshot } from '../snapshot/migrate.js';
import { diffSnapshots } from '../snapshot/diff.js';
import { FIELD_ATTRIBUTES } from '../harvest/registry.js';
import { attributeSpelling } from '../harvest/registry.js';
import type { Snapshot } from '../snapshot/model.js';

export type Paper = 'a4' | 'letter';

export interface RenderCommandOptions {
  format: 'md' | 'pdf' | 'html';
  /** '-' = standard output */
  out: string;
  supplement?: string;
  templates?: string;
  paper: Paper;
  /** only these servers (names, case-insensitive; comma lists allowed) */
  server?: string[];
  /** where the appendices go (default inline) */
  appendix?: AppendixMode;
  /** the known good snapshot to compare with: Appendix A lists the changes, the chapters mark changed values */
  baseline?: string;
  /** --tagged-pdf: a tagged PDF (default: EXBINDER_TAGGED_PDF=1) */
  taggedPdf?: boolean;
  /** --font-dir: folders with fallback faces, searched first (default: EXBINDER_FONT_DIRS) */
  fontDir?: string[];
  readStdin?: () => Promise<string>;
  stdout?: (data: string | Uint8Array) => void;
}

/** A snapshot from a file, or from standard input when the path is '-'. */
export async function readSnapshotArg(path: string, readStdin?: () => Promise<string>): Promise<Snapshot> {
  if (path !== '-') return loadSnapshot(path);
  if (!readStdin) throw new Error('no standard input available');
  return parseSnapshot(await readStdin(), 'standard input');
}

export async function renderCommand(snapshotPath: string, o: RenderCommandOptions): Promise<string[]> {
  const mode = o.appendix ?? 'inline';
  if (mode === 'separate' && o.out === '-') {
    throw new ExbinderError('--appendix separate writes a second file next to the binder: give --out FILE, not standard output', 'usage');
  }
  const snapshot = await readSnapshotArg(snapshotPath, o.readStdin);
  const drift = o.baseline ? diffSnapshots(await baselineOf(o.baseline, snapshot), snapshot, FIELD_ATTRIBUTES) : null;
  const extra = mode === 'separate' ? appendixPath(o.out) : null;
  // an unknown --server fails here, before anything is rendered or written
  const scope = scopeOf(snapshot, o.server, mode, extra ? basename(extra) : null);
  if (o.out !== '-') await checkWritable(o.out);
  await faultPoint('render');
  const binder = await renderBinder(snapshot, {
    pdf: o.format === 'pdf',
    html: o.format === 'html',
    paper: o.paper,
    supplementPath: o.supplement,
    templatesDir: o.templates,
    scope,
    drift,
    attributeSpelling,
    ...(o.taggedPdf ? { taggedPdf: true } : {}),
    ...(o.fontDir?.length ? { fontDirs: o.fontDir } : {}),
  });
  const data = binder.pdf ?? binder.html ?? binder.markdown;
  const names = scope.servers ? snapshot.servers.filter((s) => scope.servers!.has(dnKey(s.dn))).map((s) => s.name).sort() : [];
  const what = `binder for ${snapshot.organization.name}${names.length ? ` (${names.length === 1 ? 'server' : 'servers'} ${names.join(', ')})` : ''}`;
  if (o.out === '-') {
    (o.stdout ?? ((d) => process.stdout.write(d)))(data);
    return [`${what} written to standard output`];
  }
  if (extra && binder.appendix) {
    const a = binder.appendix;
    await writeFilesAtomic([{ file: o.out, data }, { file: extra, data: a.pdf ?? a.html ?? a.markdown }]);
    return [`${what} written to ${o.out}, its appendices to ${extra}`];
  }
  await writeFileAtomic(o.out, data);
  return [`${what} written to ${o.out}`];
}

/** The known good to compare with: a snapshot of the same organization (a diff across organizations means nothing). */
async function baselineOf(path: string, snapshot: Snapshot): Promise<Snapshot> {
  const baseline = await loadSnapshot(path);
  if (baseline.organization.guid.toLowerCase() !== snapshot.organization.guid.toLowerCase()) {
    throw new ExbinderError(
      `--baseline ${path} is a snapshot of another organization (${baseline.organization.name} ${baseline.organization.guid}, not ${snapshot.organization.name} ${snapshot.organization.guid}): give a known good snapshot of the same organization`,
      'usage',
    );
  }
  return baseline;
}
