/**
 * Commander wiring only: parse flags, call a function in src/run/, print its
 * lines, map errors to exit codes. No logic lives here.
 *
 * Streams: results meant for pipes (a snapshot with --out -, diff reports,
 * history, --json) go to stdout; everything said to the operator (summaries,
 * warnings, progress, errors) goes to stderr.
 */
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ExbinderError } from '../errors.js';
import { useColor } from './color.js';
import { checkCommand } from '../run/check-command.js';
import type { ConnectionSettings } from '../run/connection.js';
import { demoCommand } from '../run/demo-command.js';
import { harvestToFile } from '../run/harvest-command.js';
import { renderCommand } from '../run/render-command.js';
import { diffCommand } from '../run/diff-command.js';
import { acceptCommand, historyCommand, mergeSettings, snapshotAllCommand, snapshotCommand, type RunIo } from '../run/snapshot-command.js';
import { loadConfig } from '../run/config.js';
import { TOOL_VERSION } from '../run/version.js';
import { completionScript } from './completion.js';
import { plain } from '../render/drift.js';
import { jsonText } from '../snapshot/drift.js';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** raw bytes/text to stdout (a snapshot or binder with --out -) */
  write?: (data: string | Uint8Array) => void;
  /** stdin as text (a snapshot given as -) */
  readStdin?: () => Promise<string>;
  /** stdin and stderr are a terminal: password prompts */
  isTTY: boolean;
  /** stderr is a terminal: progress lines */
  stderrTTY?: boolean;
  /** stdout is a terminal that takes colour (TTY, no NO_COLOR): coloured drift reports */
  color?: boolean;
}

const defaultIo: CliIo = {
  out: (l) => process.stdout.write(l + '\n'),
  err: (l) => process.stderr.write(l + '\n'),
  write: (d) => process.stdout.write(d),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  isTTY: Boolean(process.stdin.isTTY && process.stderr.isTTY),
  stderrTTY: Boolean(process.stderr.isTTY),
  color: useColor(process.stdout),
};

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return n;
}

const EXIT = {
  harvest: ['0  snapshot written', '2  error (one line on stderr: the input and the fix)', '3  written, but the harvest raised warnings (only with --fail-on-warning)'],
  render: ['0  binder written', '2  error'],
  diff: ['0  no critical drift', '1  critical drift', '2  error'],
  snapshot: [
    '0  no critical drift (informational changes may exist)',
    '1  critical drift: the printed binder is out of date',
    '2  the run failed or was refused (failure record in STORE/failures/)',
    '3  harvest warnings (only with --fail-on-warning new|any; drift wins over warnings)',
    '   with --all: the worst of all organizations (2 > 1 > 3 > 0)',
  ],
  accept: ['0  known good changed', '2  error (unknown or ambiguous id, store locked)'],
  history: ['0  listed', '2  error (no such store)'],
  check: ['0  bound and everything readable', '2  error (cannot bind, no Exchange organization)', '3  bound, but some of it could not be read or raised warnings'],
  demo: ['0  demo written', '2  error'],
  completion: ['0  script printed'],
};

/** Examples and EXIT STATUS at the end of a command's --help. */
function helpText(cmd: Command, examples: string[], exit: string[]): Command {
  return cmd.addHelpText(
    'after',
    `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n\nEXIT STATUS\n${exit.map((e) => `  ${e}`).join('\n')}\n`,
  );
}

/** Options shared by every command that reads the directory. */
function withConnection(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--url <url>', 'DC to read: ldaps://dc.example.com, or ldap://dc.example.com (StartTLS); repeat to try several in order')
        .env('EXBINDER_URL')
        .argParser(collect),
    )
    .addOption(new Option('--domain <dnsname>', 'find the DCs of this AD domain by DNS SRV records instead of --url').env('EXBINDER_DOMAIN'))
    .addOption(new Option('--site <name>', 'with --domain: prefer the DCs of this AD site'))
    .addOption(new Option('--dns-server <ip>', "with --domain: ask this AD DNS server (repeatable) instead of the host's resolver").argParser(collect))
    .addOption(new Option('--transport <kind>', 'with --domain: ldaps (port 636) or ldap (389: StartTLS; sign+seal with --auth kerberos)').choices(['ldaps', 'ldap']))
    .addOption(new Option('--auth <method>', 'simple (bind DN + password) or kerberos (ticket cache or --keytab)').choices(['simple', 'kerberos']).env('EXBINDER_AUTH'))
    .addOption(new Option('--keytab <file>', 'with --auth kerberos: client keytab (no kinit; the ticket stays in memory)').env('EXBINDER_KEYTAB'))
    .addOption(new Option('--principal <name>', 'with --auth kerberos: principal to act as, user@REALM').env('EXBINDER_PRINCIPAL'))
    .addOption(new Option('--ldif <file...>', 'harvest offline from LDIF export(s) (ldifde or ldapsearch)'))
    .addOption(new Option('--bind-dn <dn>', 'account to bind as: DN, user@domain or DOMAIN\\user').env('EXBINDER_BIND_DN'))
    .addOption(new Option('--password-file <file>', 'file holding the password (else EXBINDER_PASSWORD, else a prompt on a terminal)'))
    .addOption(new Option('--ca-file <file>', 'PEM file of the CA that issued the DC certificate').env('EXBINDER_CA_FILE'))
    .addOption(new Option('--no-starttls', 'with ldap://: bind without TLS (hardened DCs refuse; the password travels in clear)'))
    .addOption(new Option('--insecure', 'do not verify the DC certificate (warned on every run)'))
    .addOption(new Option('--timeout <seconds>', 'per LDAP operation').argParser(positiveInt).default(120))
    .addOption(new Option('--connect-timeout <seconds>', 'to open the connection (TCP, TLS, StartTLS) to each DC').argParser(positiveInt).default(10))
    .addOption(new Option('--no-repl-metadata', 'do not read replPropertyMetaData (drift then says no time or DC per change)'));
}

/** Repeatable option: each occurrence adds a value. */
function collect(value: string, previous: unknown): string[] {
  return Array.isArray(previous) ? [...(previous as string[]), value] : [value];
}

function connection(o: Record<string, unknown>): ConnectionSettings {
  return {
    url: o['url'] as string[] | undefined,
    domain: o['domain'] as string | undefined,
    site: o['site'] as string | undefined,
    dnsServers: o['dnsServer'] as string[] | undefined,
    transport: o['transport'] as 'ldaps' | 'ldap' | undefined,
    auth: o['auth'] as 'simple' | 'kerberos' | undefined,
    keytab: o['keytab'] as string | undefined,
    principal: o['principal'] as string | undefined,
    ldif: o['ldif'] as string[] | undefined,
    bindDn: o['bindDn'] as string | undefined,
    passwordFile: o['passwordFile'] as string | undefined,
    caFile: o['caFile'] as string | undefined,
    startTls: o['starttls'] as boolean | undefined,
    insecure: o['insecure'] as boolean | undefined,
    timeoutSeconds: o['timeout'] as number | undefined,
    connectTimeoutSeconds: o['connectTimeout'] as number | undefined,
    replMetadata: o['replMetadata'] as boolean | undefined,
  };
}

/** --server NAME (repeatable, or NAME,NAME): a binder of just those servers. */
const serverOption = () =>
  new Option('--server <name>', 'only this server: its chapter and runbook, with the organization chapter, checklist and org-wide appendix objects (repeat, or NAME,NAME)')
    .argParser(collect);

/** --appendix: where the appendices (changes, raw attributes) go. */
const appendixOption = () =>
  new Option('--appendix <where>', 'appendices: inline (end of the binder), separate (a second file, NAME-appendix.EXT) or none').choices(['inline', 'separate', 'none']);

const failOnWarning = () =>
  new Option('--fail-on-warning <which>', 'exit 3 on harvest warnings: new (since the known good) or any').choices(['new', 'any']);

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('exbinder')
    .description('Exchange Server recovery binder from Active Directory: harvest, snapshot, diff, render')
    .version(TOOL_VERSION)
    .option('-q, --quiet', 'print only warnings and errors')
    .option('-v, --verbose', 'also print progress and every detail line, terminal or not')
    .exitOverride()
    // commander's messages (usage errors) may span lines: one io.err per line, each made terminal-safe
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => s.trimEnd().split('\n').forEach((l) => io.err(l)) })
    .showHelpAfterError('(run exbinder help for usage)')
    .addHelpText(
      'after',
      `
Settings come from, in this order of precedence: command-line flags, then the
environment (EXBINDER_URL, EXBINDER_BIND_DN, EXBINDER_CA_FILE, EXBINDER_PASSWORD),
then the --config file, then the defaults. The password is never a flag.

Examples:
  $ exbinder demo --out ./exbinder-demo
  $ exbinder check --config /etc/exbinder/job.yaml
  $ exbinder snapshot --config /etc/exbinder/job.yaml
  $ exbinder snapshot --all --inventory /etc/exbinder/inventory.yaml

EXIT STATUS
  0 fine, 1 critical drift (diff, snapshot), 2 error, 3 harvest warnings (with --fail-on-warning)
  each command's --help says which of these it uses`,
    );

  const globals = () => program.opts<{ quiet?: boolean; verbose?: boolean }>();
  /** Operator lines on stderr; -q keeps only warnings and failures. */
  const print = (lines: string[]) => {
    const quiet = globals().quiet && !globals().verbose;
    for (const l of lines) if (!quiet || /^(warning|exbinder: warning)|\bfail|FAILED|killed/i.test(l)) io.err(l);
  };
  /** Progress: on a terminal (quiet otherwise) or with -v; never with -q. */
  const progress = () => {
    const g = globals();
    if (g.quiet && !g.verbose) return undefined;
    if (!g.verbose && !io.stderrTTY) return undefined;
    return (l: string) => io.err(`… ${l}`);
  };
  const runIo = (): RunIo => ({ warn: (l: string) => io.err(`exbinder: warning: ${l}`), isTTY: io.isTTY, progress: progress() });
  const write = (d: string | Uint8Array) => (io.write ?? ((x) => process.stdout.write(x)))(d);

  helpText(
    withConnection(program.command('harvest').description('read the Exchange configuration into a snapshot file'))
      .requiredOption('--out <file>', "snapshot JSON to write (atomically); '-' for standard output")
      .addOption(failOnWarning())
      .action(async (o) => {
        const r = await harvestToFile(connection(o), o.out, { ...runIo(), stdout: write }, o.failOnWarning);
        print(r.lines);
        setExit(r.exitCode);
      }),
    [
      'exbinder harvest --url ldaps://dc1.contoso.com --bind-dn svc-exbinder@contoso.com --password-file pw --ca-file ca.pem --out snap.json',
      'exbinder harvest --ldif 1-exchange.ldf 2-schema.ldf 3-sites.ldf 4-domain.ldf 5-dns.ldf --out snap.json',
      'exbinder harvest --ldif contoso.ldf --out - | jq .servers[].name',
    ],
    EXIT.harvest,
  );

  helpText(
    program
      .command('render')
      .description('render the recovery binder from a snapshot')
      .argument('<snapshot>', "snapshot JSON; '-' for standard input")
      .addOption(new Option('--format <format>', 'output format (html: one self-contained page)').choices(['md', 'pdf', 'html']).default('pdf'))
      .requiredOption('--out <file>', "binder file to write; '-' for standard output")
      .option('--supplement <file>', 'YAML/JSON with what AD does not hold (hardware, backup, certificate export...)')
      .option('--templates <dir>', 'use these Handlebars templates instead of the bundled ones')
      .addOption(new Option('--paper <size>', 'paper size for PDF').choices(['a4', 'letter']).default('a4'))
      .addOption(serverOption())
      .addOption(appendixOption().default('inline'))
      .option('--baseline <snapshot>', 'the last known good snapshot (e.g. STORE/snapshots/ID.json): Appendix A lists the changes since it, the chapters mark the changed values')
      .option('--tagged-pdf', 'write a tagged PDF (headings, lists, tables for screen readers; larger and slower) (env: EXBINDER_TAGGED_PDF=1)')
      .option('--font-dir <dir>', 'folder with fonts for text DejaVu has no glyphs for (Japanese, Thai...), searched first (repeatable) (env: EXBINDER_FONT_DIRS)', (v: string, acc: string[] = []) => [...acc, v])
      .action(async (snap, o) => print(await renderCommand(snap, { ...o, readStdin: io.readStdin, stdout: write }))),
    [
      'exbinder render snap.json --format pdf --out binder.pdf --supplement supplement.yaml',
      'exbinder render snap.json --server EX01 --appendix separate --out ex01.pdf   # ex01.pdf + ex01-appendix.pdf',
      'exbinder render snap.json --format html --out binder.html',
      'exbinder render snap.json --tagged-pdf --font-dir /usr/local/share/fonts/cjk --out binder.pdf',
      'exbinder harvest --ldif contoso.ldf --out - | exbinder render - --format md --out - | less',
    ],
    EXIT.render,
  );

  helpText(
    program
      .command('diff')
      .description('compare two snapshots')
      .argument('<old>', "baseline snapshot (last known good); '-' for standard input")
      .argument('<new>', "current snapshot; '-' for standard input")
      .addOption(new Option('--format <format>', 'report format').choices(['text', 'md', 'json']).default('text'))
      .action(async (a, b, o) => {
        const r = await diffCommand(a, b, o.format, { color: io.color === true, readStdin: io.readStdin });
        io.out(r.output.trimEnd());
        setExit(r.exitCode);
      }),
    ['exbinder diff STORE/snapshots/OLD.json STORE/snapshots/NEW.json', 'exbinder diff old.json new.json --format md > drift.md'],
    EXIT.diff,
  );

  helpText(
    withConnection(program.command('snapshot').description('scheduled job: harvest, store, diff against known good, render binder and drift report, fire hooks'))
      .option('--store <dir>', 'snapshot store directory')
      .option('--config <file>', 'YAML/JSON with connection, store, hooks (never the password)')
      .option('--accept', 'promote this snapshot to known good')
      .addOption(new Option('--keep <n>', 'keep this many snapshots (never prunes known good or newest)').argParser(positiveInt))
      .option('--git', 'keep the configuration history in a git repository in the store')
      .option('--supplement <file>', 'supplement for the binder')
      .option('--templates <dir>', 'custom templates for the binder')
      .addOption(new Option('--paper <size>', 'paper size for PDF').choices(['a4', 'letter']))
      .addOption(serverOption())
      .addOption(appendixOption())
      .addOption(failOnWarning())
      .option('--break-lock', 'remove a store lock that cannot be checked from here (another host, an empty lock file); a running holder is never broken, a dead one on this host is taken over without it')
      .option('--all', 'run every organization of the --inventory file')
      .addOption(new Option('--inventory <file>', 'YAML/JSON listing organizations, for --all').env('EXBINDER_INVENTORY'))
      .addOption(new Option('--parallel <n>', 'with --all: organizations at once (default: the inventory, else 2)').argParser(positiveInt))
      .option('--json', 'print the run record (as in STORE/last-run.json) on stdout')
      .action(async (o, cmd: Command) => {
        if (o.all) {
          const given = explicitOptions(cmd).filter((k) => !['all', 'inventory', 'parallel', 'accept', 'breakLock', 'failOnWarning', 'json'].includes(k));
          if (given.length) throw new ExbinderError(`--${kebab(given[0]!)} does not go with --all: each organization's settings are in the inventory`, 'usage');
          if (!o.inventory) throw new ExbinderError('--all needs --inventory FILE (or EXBINDER_INVENTORY): the list of organizations', 'usage');
          const r = await snapshotAllCommand(o.inventory, o, runIo());
          if (globals().verbose) r.detail.forEach(io.err);
          if (o.json) io.out(jsonText(r.runs));
          r.lines.forEach((l) => (globals().quiet && !/FAILED|DRIFT|WARNING/.test(l) ? undefined : io.err(l)));
          setExit(r.exitCode);
          return;
        }
        if (o.inventory) throw new ExbinderError('--inventory goes with --all', 'usage');
        const r = await snapshotCommand({ ...o, connection: connection(o), explicit: explicitOptions(cmd) }, runIo());
        print(r.lines);
        if (o.json) io.out(jsonText(r.lastRun));
        setExit(r.exitCode);
      }),
    [
      'exbinder snapshot --config /etc/exbinder/job.yaml',
      'exbinder snapshot --config job.yaml --fail-on-warning new --json > run.json',
      'exbinder snapshot --all --inventory /etc/exbinder/inventory.yaml --parallel 4',
    ],
    EXIT.snapshot,
  );

  helpText(
    program
      .command('accept')
      .description('promote a stored snapshot (default: the newest) to known good')
      .option('--store <dir>', 'snapshot store directory')
      .option('--config <file>', 'job config: its store, git and accept hook')
      .option('--break-lock', 'remove a store lock that cannot be checked from here (another host, an empty lock file); a running holder is never broken')
      .argument('[id]', 'snapshot id or a prefix of at least 6 characters (see exbinder history)')
      .action(async (id, o) => print(await acceptCommand(o, id))),
    ['exbinder accept --config /etc/exbinder/job.yaml', 'exbinder accept --store /var/lib/exbinder 3f9a1c'],
    EXIT.accept,
  );

  helpText(
    program
      .command('history')
      .description('list stored snapshots with their drift against the known good')
      .option('--store <dir>', 'snapshot store directory')
      .option('--config <file>', 'job config (its store)')
      .option('--json', 'JSON array on stdout')
      .option('--object <name>', "one object's attribute history (name, DN or GUID): values, versions, when and on which DC")
      .action(async (o) => (await historyCommand(o)).forEach(io.out)),
    [
      'exbinder history --config /etc/exbinder/job.yaml', 'exbinder history --store /var/lib/exbinder --json | jq .[-1]',
      'exbinder history --store /var/lib/exbinder --object DB2019-01',
    ],
    EXIT.history,
  );

  helpText(
    withConnection(program.command('check').description('bind and read like a snapshot would, report what would be read and what is unreadable; writes nothing'))
      .option('--config <file>', 'job config to check (connection and store)')
      .option('--store <dir>', 'also say whether this store belongs to the organization read')
      .action(async (o, cmd: Command) => {
        const config = o.config ? await loadConfig(o.config) : {};
        const s = mergeSettings({ connection: connection(o), explicit: explicitOptions(cmd), store: o.store ?? config.store ?? '-' }, config);
        const r = await checkCommand(s.connection, s.store === '-' ? undefined : s.store, runIo());
        print(r.lines);
        setExit(r.exitCode);
      }),
    ['exbinder check --config /etc/exbinder/job.yaml', 'exbinder check --url ldaps://dc1.contoso.com --bind-dn svc-exbinder@contoso.com --password-file pw'],
    EXIT.check,
  );

  helpText(
    program
      .command('demo')
      .description('harvest the bundled Contoso demo export and render its binder')
      .option('--out <dir>', 'folder to write the demo snapshot and binder to', 'exbinder-demo')
      .addOption(serverOption())
      .addOption(appendixOption().default('inline'))
      .action(async (o) => print(await demoCommand(o.out, runIo(), { server: o.server, appendix: o.appendix }))),
    ['exbinder demo', 'exbinder demo --out /tmp/demo && xdg-open /tmp/demo/contoso-binder.pdf'],
    EXIT.demo,
  );

  helpText(
    program
      .command('completion')
      .description('print a shell completion script')
      .addArgument(new Argument('<shell>', 'bash or zsh').choices(['bash', 'zsh']))
      .action((shell: 'bash' | 'zsh') => write(completionScript(program, shell))),
    ['exbinder completion bash > /etc/bash_completion.d/exbinder', 'exbinder completion zsh >> ~/.zshrc'],
    EXIT.completion,
  );

  return program;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Names of options given on the command line or by environment (they beat the config file). */
function explicitOptions(cmd: Command): string[] {
  return cmd.options
    .map((opt) => opt.attributeName())
    .filter((k) => cmd.getOptionValueSource(k) === 'cli' || cmd.getOptionValueSource(k) === 'env');
}

/** Runs the CLI; resolves to the process exit code. */
export async function runCli(argv: string[], raw: CliIo = defaultIo): Promise<number> {
  let exit = 0;
  // operator lines carry directory values (names in warnings and errors): none may act on the terminal
  const io: CliIo = { ...raw, err: (l) => raw.err(plain(l)) };
  const program = buildProgram(io, (c) => (exit = c));
  try {
    await program.parseAsync(argv);
    return exit;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof ExbinderError) {
      io.err(`exbinder: ${e.message}`);
      return e.exitCode;
    }
    io.err(`exbinder: internal error: ${e instanceof Error ? e.message : String(e)} (set EXBINDER_DEBUG=1 for the stack)`);
    if (process.env['EXBINDER_DEBUG']) raw.err(e instanceof Error ? (e.stack ?? '') : '');
    return 2;
  }
}
