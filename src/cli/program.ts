/**
 * Commander wiring only: parse flags, call a function in src/run/, print its
 * lines, map errors to exit codes. No logic lives here.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ExbinderError } from '../errors.js';
import { useColor } from '../snapshot/diff-format.js';
import type { ConnectionSettings } from '../run/connection.js';
import { harvestToFile } from '../run/harvest-command.js';
import { renderCommand } from '../run/render-command.js';
import { diffCommand } from '../run/diff-command.js';
import { acceptCommand, historyCommand, snapshotCommand } from '../run/snapshot-command.js';
import { TOOL_VERSION } from '../run/version.js';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  isTTY: boolean;
}

const defaultIo: CliIo = {
  out: (l) => process.stdout.write(l + '\n'),
  err: (l) => process.stderr.write(l + '\n'),
  isTTY: Boolean(process.stdin.isTTY && process.stderr.isTTY),
};

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return n;
}

/** Options shared by every command that reads the directory. */
function withConnection(cmd: Command): Command {
  return cmd
    .addOption(new Option('--url <url>', 'DC to read: ldaps://dc.example.com, or ldap://dc.example.com (StartTLS)').env('EXBINDER_URL'))
    .addOption(new Option('--ldif <file...>', 'harvest offline from LDIF export(s) (ldifde or ldapsearch)'))
    .addOption(new Option('--bind-dn <dn>', 'account to bind as: DN, user@domain or DOMAIN\\user').env('EXBINDER_BIND_DN'))
    .addOption(new Option('--password-file <file>', 'file holding the password (else EXBINDER_PASSWORD, else a prompt on a terminal)'))
    .addOption(new Option('--ca-file <file>', 'PEM file of the CA that issued the DC certificate').env('EXBINDER_CA_FILE'))
    .addOption(new Option('--no-starttls', 'with ldap://: bind without TLS (hardened DCs refuse; the password travels in clear)'))
    .addOption(new Option('--insecure', 'do not verify the DC certificate (warned on every run)'))
    .addOption(new Option('--timeout <seconds>', 'per LDAP operation').argParser(positiveInt).default(120));
}

function connection(o: Record<string, unknown>): ConnectionSettings {
  return {
    url: o['url'] as string | undefined,
    ldif: o['ldif'] as string[] | undefined,
    bindDn: o['bindDn'] as string | undefined,
    passwordFile: o['passwordFile'] as string | undefined,
    caFile: o['caFile'] as string | undefined,
    startTls: o['starttls'] as boolean | undefined,
    insecure: o['insecure'] as boolean | undefined,
    timeoutSeconds: o['timeout'] as number | undefined,
  };
}

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('exbinder')
    .description('Exchange Server recovery binder from Active Directory: harvest, snapshot, diff, render')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(run exbinder help for usage)');
  const print = (lines: string[]) => lines.forEach(io.err);
  const connIo = { warn: (l: string) => io.err(`exbinder: warning: ${l}`), isTTY: io.isTTY };

  withConnection(program.command('harvest').description('read the Exchange configuration into a snapshot file'))
    .requiredOption('--out <file>', 'snapshot JSON to write (atomically)')
    .action(async (o) => print(await harvestToFile(connection(o), o.out, connIo)));

  program
    .command('render')
    .description('render the recovery binder from a snapshot')
    .argument('<snapshot>', 'snapshot JSON')
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'pdf']).default('pdf'))
    .requiredOption('--out <file>', 'binder file to write')
    .option('--supplement <file>', 'YAML/JSON with what AD does not hold (hardware, backup, certificate export...)')
    .option('--templates <dir>', 'use these Handlebars templates instead of the bundled ones')
    .addOption(new Option('--paper <size>', 'paper size for PDF').choices(['a4', 'letter']).default('a4'))
    .action(async (snap, o) => print(await renderCommand(snap, o)));

  program
    .command('diff')
    .description('compare two snapshots; exit 0 = no critical drift, 1 = critical drift, 2 = error')
    .argument('<old>', 'baseline snapshot (last known good)')
    .argument('<new>', 'current snapshot')
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'md', 'json']).default('text'))
    .action(async (a, b, o) => {
      const r = await diffCommand(a, b, o.format, { color: useColor(process.stdout) });
      io.out(r.output.trimEnd());
      setExit(r.exitCode);
    });

  withConnection(program.command('snapshot').description('scheduled job: harvest, store, diff against known good, render binder and drift report'))
    .option('--store <dir>', 'snapshot store directory')
    .option('--config <file>', 'YAML/JSON with connection and store settings (never the password)')
    .option('--accept', 'promote this snapshot to known good')
    .addOption(new Option('--keep <n>', 'keep this many snapshots (never prunes known good or newest)').argParser(positiveInt))
    .option('--git', 'commit each snapshot into a git repository in the store')
    .option('--supplement <file>', 'supplement for the binder')
    .option('--templates <dir>', 'custom templates for the binder')
    .addOption(new Option('--paper <size>', 'paper size for PDF').choices(['a4', 'letter']))
    .option('--break-lock', 'remove a stale store lock left by a killed run')
    .action(async (o, cmd: Command) => {
      const r = await snapshotCommand({ ...o, connection: connection(o), explicit: explicitOptions(cmd) }, connIo);
      print(r.lines);
      setExit(r.exitCode);
    });

  program
    .command('accept')
    .description('promote a stored snapshot (default: the newest) to known good')
    .requiredOption('--store <dir>', 'snapshot store directory')
    .argument('[id]', 'snapshot id (see exbinder history)')
    .action(async (id, o) => print(await acceptCommand(o.store, id)));

  program
    .command('history')
    .description('list stored snapshots with their drift against the known good')
    .requiredOption('--store <dir>', 'snapshot store directory')
    .action(async (o) => (await historyCommand(o.store)).forEach(io.out));

  return program;
}

/** Names of options given on the command line (they beat the config file). */
function explicitOptions(cmd: Command): string[] {
  return cmd.options
    .map((opt) => opt.attributeName())
    .filter((k) => cmd.getOptionValueSource(k) === 'cli' || cmd.getOptionValueSource(k) === 'env');
}

/** Runs the CLI; resolves to the process exit code. */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let exit = 0;
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
    if (process.env['EXBINDER_DEBUG']) io.err(e instanceof Error ? (e.stack ?? '') : '');
    return 2;
  }
}
