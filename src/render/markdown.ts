/**
 * BinderView → Markdown through Handlebars templates (templates/*.md.hbs).
 * Compiled strict with only known helpers, so a typo in a template fails loudly
 * instead of printing an empty value into a recovery document.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { ExbinderError } from '../errors.js';
import type { BinderView } from './view/model.js';
import { BLANK } from './view/build.js';
import { inert, mdText, mdLine, mdCell, mdCode } from './escape.js';
import { reflowLines, wrapCommandLines } from './reflow.js';
import { contentsLines } from './contents.js';
import { counted } from './words.js';

/** templates/ ships next to dist/ in the package (package.json "files"). */
export const DEFAULT_TEMPLATES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates');

const present = (v: unknown) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);

const helpers: Record<string, Handlebars.HelperDelegate> = {
  /** inline text */
  text: (v: unknown) => mdText(v),
  /** text at the start of a line (block markers escaped too) */
  para: (v: unknown) => mdLine(v),
  /** table cell text */
  cell: (v: unknown) => mdCell(v),
  /** inline code (paths, commands, URLs) */
  code: (v: unknown) => mdCode(v),
  /**
   * lines of one value as code spans joined by hard line breaks (a DN broken between RDNs):
   * each line prints as a line, and joined with nothing they are the value
   */
  codelines: (v: unknown) => (Array.isArray(v) ? v.map((x) => mdCode(x)).filter(Boolean).join('\\\n') : mdCode(v)),
  /** inline code inside a table cell */
  codecell: (v: unknown) => mdCode(v, true),
  /** value as text, or a line to write on */
  blank: (v: unknown) => (present(v) ? mdText(v) : BLANK),
  /** value as code, or a line to write on */
  blankcell: (v: unknown) => (present(v) ? mdCell(v) : BLANK),
  blankcode: (v: unknown) => (present(v) ? mdCode(v) : BLANK),
  blankcodecell: (v: unknown) => (present(v) ? mdCode(v, true) : BLANK),
  /** a line to write on */
  line: () => BLANK,
  /** GFM task-list box */
  check: (v: unknown) => (v ? '[x]' : '[ ]'),
  /** list of values as text joined by ", " */
  join: (v: unknown) => (Array.isArray(v) ? v.map(mdText).join(', ') : mdText(v)),
  /** list of values as code spans */
  joincode: (v: unknown) => (Array.isArray(v) && v.length ? v.map((x) => mdCode(x, true)).join(', ') : BLANK),
  /** boolean-ish: true when the value is present (non-null, non-empty) */
  has: (v: unknown) => present(v),
  /**
   * After a value compared with a known good: " _(changed since YYYY-MM-DD)_" when the row's
   * `changes` list names the field ({{changed changes "installPath"}}), or when a flag is true
   * ({{changed changed}}); nothing otherwise, and nothing without a known good.
   */
  changed: (...args: unknown[]) => {
    const options = args.pop() as Handlebars.HelperOptions;
    const since = (options.data?.root as { changes?: { since?: string } | null } | undefined)?.changes?.since;
    const hit = args.length >= 2 ? Array.isArray(args[0]) && args[0].includes(args[1]) : Boolean(args[0]);
    return hit && since ? ` _(changed since ${mdText(since)})_` : '';
  },
  /** a count in words: {{count n "warning"}} → '1 warning', '2 warnings' ({{count n "copy" "copies"}}) */
  count: (...args: unknown[]) => {
    args.pop();
    const [n, singular, plural] = args as [number, string, string | undefined];
    return mdText(counted(Number(n), singular, plural));
  },
  eq: (a: unknown, b: unknown) => a === b,
  add: (a: unknown, b: unknown) => Number(a) + Number(b),
};

const KNOWN = Object.fromEntries(Object.keys(helpers).map((k) => [k, true])) as Record<string, true>;

type CompileOptions = { noEscape: true; strict: true; knownHelpersOnly: true; knownHelpers: Record<string, true> };
const OPTIONS: CompileOptions = { noEscape: true, strict: true, knownHelpersOnly: true, knownHelpers: KNOWN };

/**
 * The bundled templates precompiled at build time (`npm run build`,
 * scripts/precompile-templates.mjs): Handlebars' compiler takes about 0.2 s of
 * CPU for them on every render. Keyed by the SHA-256 of a template's text,
 * the Handlebars version and the compile options, so a template edited since
 * (or a copy in a --templates folder that differs) is compiled as before, and
 * an unchanged copy uses the spec. Absent (a plain `tsc`), every template is
 * compiled.
 */
export const PRECOMPILED_FILE = join(DEFAULT_TEMPLATES_DIR, '..', 'dist', 'templates.precompiled.json');
type Precompiled = Record<string, string>;
let precompiled: Precompiled | undefined;

/** The key of a template's spec: its text, this Handlebars and the options it is compiled with. */
export function specKey(source: string): string {
  return createHash('sha256').update(SPEC_SALT).update(source).digest('hex');
}
const SPEC_SALT = `${Handlebars.VERSION}\0${JSON.stringify(OPTIONS)}\0`;

function precompiledSpecs(): Precompiled {
  if (precompiled === undefined) {
    try {
      precompiled = JSON.parse(readFileSync(PRECOMPILED_FILE, 'utf8')) as Precompiled;
    } catch {
      precompiled = {};
    }
  }
  return precompiled;
}

/** A templates folder's partials (partials/NAME.md.hbs), in name order; none without the folder. */
function partialFiles(dir: string): string[] {
  const partialsDir = join(dir, 'partials');
  return existsSync(partialsDir) ? readdirSync(partialsDir).filter((n) => n.endsWith('.md.hbs')).sort().map((n) => join(partialsDir, n)) : [];
}

/** Every bundled template's spec by specKey (what the build writes to PRECOMPILED_FILE). */
export function precompileBundled(): Precompiled {
  const hb = Handlebars.create();
  const files = [join(DEFAULT_TEMPLATES_DIR, 'binder.md.hbs'), join(DEFAULT_TEMPLATES_DIR, 'appendix.md.hbs'), ...partialFiles(DEFAULT_TEMPLATES_DIR)];
  const out: Precompiled = {};
  for (const f of files) {
    const source = readFileSync(f, 'utf8');
    out[specKey(source)] = String(hb.precompile(source, OPTIONS));
  }
  return out;
}

/**
 * Compiled here, once, so a template error names its file at load time
 * (Handlebars' compile() defers parsing to the first call): precompiled to
 * Handlebars' template spec (or that spec taken from the build's) and loaded
 * the way its runtime loads a precompiled template.
 */
function compileChecked(hb: typeof Handlebars, file: string, specs: Precompiled): Handlebars.TemplateDelegate {
  const source = readFileSync(file, 'utf8');
  let spec = specs[specKey(source)];
  if (spec === undefined) {
    try {
      spec = String(hb.precompile(source, OPTIONS));
    } catch (e) {
      throw new ExbinderError(`template error in ${file}: ${(e as Error).message.split('\n')[0]} (fix the template or remove --templates)`, 'template-invalid', 2, { cause: e });
    }
  }
  // the spec is JavaScript source Handlebars generated from the template; its runtime evaluates precompiled templates the same way
  return hb.template(new Function(`return ${spec};`)() as ReturnType<typeof hb.precompile>);
}

type Compiled = (view: BinderView) => string;

/**
 * Read per call, each template's spec taken from the build's or compiled: an operator editing
 * templates between runs gets what is on disk.
 * `entry`: binder.md.hbs, or appendix.md.hbs for the separate appendix file (the bundled one
 * when a copied templates folder predates it; its partials still come from `dir`).
 */
function compile(dir: string, entry = 'binder.md.hbs', usePrecompiled = true): Compiled {
  const main = entry !== 'binder.md.hbs' && !existsSync(join(dir, entry)) ? join(DEFAULT_TEMPLATES_DIR, entry) : join(dir, entry);
  if (!existsSync(main)) throw new ExbinderError(`templates directory ${dir} has no ${entry} (copy the shipped templates/ folder and edit it)`, 'templates-missing');
  const hb = Handlebars.create();
  const specs = usePrecompiled ? precompiledSpecs() : {};
  const partials: Record<string, Handlebars.TemplateDelegate> = {};
  try {
    for (const f of partialFiles(dir)) partials[basename(f, '.md.hbs')] = compileChecked(hb, f, specs);
    const template = compileChecked(hb, main, specs);
    return (view) => template(view, { helpers, partials });
  } catch (e) {
    if (e instanceof ExbinderError) throw e;
    throw new ExbinderError(`template error in ${dir}: ${(e as Error).message.split('\n')[0]}`, 'template-invalid', 2, { cause: e });
  }
}

/** Line terminators JavaScript's multiline `$` stops at besides \n. */
const LINE_END = /[\r\u2028\u2029]/;

/**
 * The template's output as tidy lines, for stable Markdown: trailing spaces
 * cut, runs of blank lines that template whitespace leaves made one, none at
 * the start, and the text ending in one newline (the last line is empty).
 */
function tidyLines(md: string): string[] {
  const out: string[] = [];
  for (let line of md.split('\n')) {
    const last = line.charCodeAt(line.length - 1);
    // as the whole-text /[ \t]+$/gm did: before any line terminator (a template saved with CRLF ends its lines in \r)
    if (last === 0x20 || last === 0x09 || LINE_END.test(line)) line = line.replace(/[ \t]+$/gm, '');
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  if (out.length === 0) return ['', ''];
  if (out[out.length - 1] !== '') out.push('');
  return out;
}

/**
 * Every string of the view made inert (see escape.ts) before any template
 * sees it: the helpers escape again for their context, and a value printed
 * raw ({{{ }}}, e.g. a command in a fenced block) cannot end its block with
 * a lone CR either.
 */
function inertView<T>(v: T): T {
  if (typeof v === 'string') return inert(v) as T;
  if (Array.isArray(v)) {
    // copied only where something changed: a view of thousands of rows is almost all inert already
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const x = inertView(v[i] as unknown);
      if (x !== v[i] && !out) out = v.slice(0, i);
      out?.push(x);
    }
    return (out ?? v) as T;
  }
  if (v && typeof v === 'object') {
    let out: Record<string, unknown> | null = null;
    // for…in: no array of keys per object (the view's objects are plain, with no inherited keys)
    for (const k in v) {
      const was = (v as Record<string, unknown>)[k];
      const x = inertView(was);
      if (x !== was) (out ??= { ...(v as Record<string, unknown>) })[k] = x;
    }
    return (out ?? v) as T;
  }
  return v;
}

/** `entry`: the top template (default binder.md.hbs; appendix.md.hbs writes the separate appendix file). */
export function renderMarkdown(view: BinderView, opts: { templatesDir?: string; entry?: string; precompiled?: boolean } = {}): string {
  const checked = inertView(view);
  const dir = opts.templatesDir ?? DEFAULT_TEMPLATES_DIR;
  try {
    // one split and one join for the passes over the whole text (a large binder is megabytes of it)
    return contentsLines(reflowLines(wrapCommandLines(tidyLines(compile(dir, opts.entry, opts.precompiled ?? true)(checked))))).join('\n');
  } catch (e) {
    if (e instanceof ExbinderError) throw e;
    throw new ExbinderError(`template error in ${dir}: ${(e as Error).message.split('\n')[0]}`, 'template-invalid', 2, { cause: e });
  }
}
