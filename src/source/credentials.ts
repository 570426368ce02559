/**
 * Where the bind password comes from. Never the command line: argv is
 * visible to every local user (ps, /proc) and lands in shell history.
 * Order: --password-file, then EXBINDER_PASSWORD, then a muted prompt on a
 * terminal; otherwise a clear error.
 */
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { ExbinderError, unreadableInput } from '../errors.js';

export interface PasswordSources {
  passwordFile?: string;
  /** defaults to process.env.EXBINDER_PASSWORD; pass undefined to ignore the environment */
  env?: string | undefined;
  /** whether a person can answer a prompt; defaults to stdin and stderr both being TTYs */
  isTTY?: boolean;
  /** asks without echo; defaults to promptHidden() */
  prompt?: (question: string) => Promise<string>;
  /** for the prompt text, e.g. the bind user */
  user?: string;
  /** default: one line on stderr */
  onWarning?: (msg: string) => void;
}

export const PASSWORD_ENV = 'EXBINDER_PASSWORD';

export async function resolvePassword(o: PasswordSources = {}): Promise<string> {
  const warn = o.onWarning ?? ((m: string) => process.stderr.write(`exbinder: warning: ${m}\n`));
  if (o.passwordFile !== undefined) return readPasswordFile(o.passwordFile, warn);

  const env = 'env' in o ? o.env : process.env[PASSWORD_ENV];
  if (env !== undefined && env !== '') return env;

  const isTTY = o.isTTY ?? Boolean(process.stdin.isTTY && process.stderr.isTTY);
  if (isTTY) {
    const ask = o.prompt ?? promptHidden;
    const answer = await ask(`Password${o.user ? ` for ${o.user}` : ''}: `);
    if (answer === '') throw new ExbinderError('empty password entered: run again and type the password', 'no-password');
    return answer;
  }
  throw new ExbinderError(
    `no password: use --password-file FILE or ${PASSWORD_ENV} (passwords are never taken on the command line)`,
    'no-password',
  );
}

async function readPasswordFile(path: string, warn: (m: string) => void): Promise<string> {
  let text: string;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOTFILE' });
    // group/world-readable: warn, not refuse (a root-owned 0640 file for a
    // service group is a legitimate setup)
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      warn(`password file ${path} is readable by group or others (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}): chmod 600 ${path}`);
    }
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw unreadableInput('password file', path, err, 'check --password-file', 'password-file');
  }
  // exactly one trailing newline is the editor's, not the password's
  const password = text.replace(/\r?\n$/, '');
  if (password === '') throw new ExbinderError(`password file ${path} is empty: write the password into it`, 'password-file');
  return password;
}

/**
 * Reads one line from the terminal without echoing it. The question goes to
 * stderr so stdout stays clean for output.
 */
export function promptHidden(
  question: string,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(question);
    // readline echoes typed characters to its output: give it a mute one
    const mute = new Writable({
      write(_chunk, _enc, done) {
        done();
      },
    });
    const rl = createInterface({ input, output: mute, terminal: true });
    let settled = false;
    rl.on('line', (line) => {
      settled = true;
      output.write('\n');
      rl.close();
      resolve(line);
    });
    rl.on('SIGINT', () => {
      settled = true;
      output.write('\n');
      rl.close();
      reject(new ExbinderError('password prompt cancelled', 'cancelled'));
    });
    rl.on('close', () => {
      if (!settled) reject(new ExbinderError('no password entered (input closed): use --password-file FILE or ' + PASSWORD_ENV, 'no-password'));
    });
  });
}
