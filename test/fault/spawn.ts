/** Child processes for the fault tests: run, wait for a line, signal, collect. */
import { spawn, type ChildProcess } from 'node:child_process';

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Child {
  proc: ChildProcess;
  /** resolves when stderr or stdout has printed a line matching `re` */
  waitFor(re: RegExp): Promise<void>;
  done: Promise<Finished>;
}

export function start(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const proc = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (w.re.test(stdout) || w.re.test(stderr)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  proc.stdout!.on('data', (d) => ((stdout += String(d)), check()));
  proc.stderr!.on('data', (d) => ((stderr += String(d)), check()));
  const done = new Promise<Finished>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return {
    proc,
    done,
    waitFor: (re) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ re, resolve });
        check();
        void done.then(() => reject(new Error(`child exited before printing ${re}:\n${stdout}\n${stderr}`)));
      }),
  };
}

export async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return start(args, env).done;
}
