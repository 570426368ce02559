/**
 * Hooks: commands from the config run on job events, with the facts in
 * environment variables (the contract below, documented in docs/scheduling.md),
 * so notification is configuration instead of a wrapper script.
 *
 *   drift    critical drift against the known good: once per drift state
 *            (known good + snapshot), again only when it changes; `repeat:
 *            daily` fires it at most once per UTC day while it lasts
 *   warning  harvest warnings new since the known good: once per set of them
 *   failure  every failed or refused run
 *   accept   a snapshot became the known good
 *
 * A hook that fails (exit != 0, timeout) is reported and not recorded as
 * fired, so the next run tries again.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { HookState } from '../snapshot/store.js';
import { counted } from '../render/words.js';

export const HOOK_EVENTS = ['drift', 'warning', 'failure', 'accept'] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

export const HooksConfig = z.strictObject({
  drift: z.string().min(1).optional(),
  warning: z.string().min(1).optional(),
  failure: z.string().min(1).optional(),
  accept: z.string().min(1).optional(),
  /** seconds before a hook is killed (default 60) */
  timeout: z.number().int().positive().optional(),
  /** 'change' (default): drift and warning hooks fire once per new state; 'daily': also once a day while it lasts */
  repeat: z.enum(['change', 'daily']).optional(),
});
export type HooksConfig = z.infer<typeof HooksConfig>;

/** Every variable a hook sees; empty string when it does not apply to the event. */
export const HOOK_ENV = [
  'EXBINDER_EVENT',
  'EXBINDER_SUBJECT',
  'EXBINDER_STORE',
  'EXBINDER_ORG',
  'EXBINDER_ORG_GUID',
  'EXBINDER_SNAPSHOT_ID',
  'EXBINDER_KNOWN_GOOD_ID',
  'EXBINDER_PREVIOUS_KNOWN_GOOD_ID',
  'EXBINDER_CRITICAL',
  'EXBINDER_INFO',
  'EXBINDER_WARNINGS',
  'EXBINDER_WARNINGS_NEW',
  'EXBINDER_DRIFT_MD',
  'EXBINDER_DRIFT_JSON',
  'EXBINDER_BINDER_PDF',
  'EXBINDER_BINDER_MD',
  'EXBINDER_LAST_RUN',
  'EXBINDER_FAILURE_FILE',
  'EXBINDER_FAILURE_STAGE',
  'EXBINDER_FAILURE_CODE',
  'EXBINDER_FAILURE_MESSAGE',
  'EXBINDER_EXIT_CODE',
] as const;
export type HookEnv = Record<(typeof HOOK_ENV)[number], string>;

export function hookEnv(values: Partial<HookEnv>): HookEnv {
  const env = {} as HookEnv;
  for (const k of HOOK_ENV) env[k] = values[k] ?? '';
  return env;
}

/** The mail subject a hook can use as is: it always names the organization. */
export function hookSubject(event: HookEvent, org: string | null, v: { critical?: number; warningsNew?: number; id?: string; stage?: string }): string {
  const who = org ?? 'unknown organization';
  switch (event) {
    case 'drift':
      return `exbinder ${who}: ${counted(v.critical ?? 0, 'critical change')}, the recovery binder is out of date`;
    case 'warning':
      return `exbinder ${who}: ${counted(v.warningsNew ?? 0, 'new harvest warning')}`;
    case 'failure':
      return `exbinder ${who}: snapshot FAILED (${v.stage})`;
    case 'accept':
      return `exbinder ${who}: snapshot ${v.id} accepted as known good`;
  }
}

// ------------------------------------------------------------ decisions

export interface HookFacts {
  critical: number;
  knownGood: string | null;
  snapshotId: string;
  /** warnings new since the known good (every warning when there is none) */
  newWarnings: string[];
}

const day = (iso: string) => iso.slice(0, 10);

/**
 * Which of drift/warning fire after a successful run, and the state to keep
 * if they succeed. Pure: the state file is read and written by the caller.
 */
export function dueHooks(state: HookState, facts: HookFacts, repeat: 'change' | 'daily', now: string) {
  const due: { event: 'drift' | 'warning'; key: string }[] = [];
  const next: HookState = { ...state };
  const consider = (event: 'drift' | 'warning', key: string | null) => {
    const last = state[event];
    if (key === null) {
      // the state is over: the next occurrence is news again
      delete next[event];
      return;
    }
    if (!last || last.key !== key || (repeat === 'daily' && day(last.firedAt) !== day(now))) due.push({ event, key });
  };
  consider('drift', facts.critical > 0 ? `${facts.knownGood ?? 'none'}..${facts.snapshotId}` : null);
  consider(
    'warning',
    facts.newWarnings.length
      ? createHash('sha256').update([...facts.newWarnings].sort().join('\n')).digest('hex').slice(0, 16)
      : null,
  );
  return { due, next };
}

// ------------------------------------------------------------- running

export interface HookRun {
  event: HookEvent;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** stdout and stderr interleaved, capped */
  output: string;
}

const OUTPUT_CAP = 64 * 1024;

/**
 * Runs one hook through the system shell with the contract variables added
 * to the environment. The bind password never reaches a hook.
 */
export function runHook(event: HookEvent, command: string, env: HookEnv, timeoutMs: number, cwd?: string): Promise<HookRun> {
  const started = Date.now();
  const base = { ...process.env };
  delete base['EXBINDER_PASSWORD'];
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    const child = spawn(command, { shell: true, cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    const take = (b: Buffer) => {
      if (output.length < OUTPUT_CAP) output += b.toString('utf8').slice(0, OUTPUT_CAP - output.length);
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    const timer = setTimeout(() => {
      timedOut = true;
      // the whole process group: a shell's children must not outlive the hook
      try {
        if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    const done = (exitCode: number | null, extra = '') => {
      clearTimeout(timer);
      resolve({ event, exitCode, timedOut, durationMs: Date.now() - started, output: output + extra });
    };
    child.on('error', (e) => done(null, `cannot start the hook: ${e.message}\n`));
    child.on('close', (code) => done(timedOut ? null : code));
  });
}

/** The log file text of one hook run. */
export function hookLog(run: HookRun, command: string, at: string): string {
  const outcome = run.timedOut ? 'killed after the timeout' : run.exitCode === null ? 'did not start' : `exit ${run.exitCode}`;
  return `# ${at} hook ${run.event}: ${command}\n# ${outcome} after ${run.durationMs} ms\n${run.output}`;
}
