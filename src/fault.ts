/**
 * Fault points for the fault-injection tests (test/fault/): a named place in
 * a run where a test stops or kills the process, to prove every step can be
 * interrupted and recovered. EXBINDER_FAULT_POINT names the point; at it the
 * run says so on stderr, then EXBINDER_FAULT_ACTION decides:
 *   'kill'  SIGKILL itself (a crash, a power cut)
 *   'pause' (default) wait there until the test sends a signal.
 * Unset in production: one string compare per point.
 */
export async function faultPoint(name: string): Promise<void> {
  const want = process.env['EXBINDER_FAULT_POINT'];
  if (!want || want !== name) return;
  process.stderr.write(`exbinder: fault point ${name}\n`);
  if (process.env['EXBINDER_FAULT_ACTION'] === 'kill') process.kill(process.pid, 'SIGKILL');
  // a timer keeps the event loop (and so the process) alive until the signal comes
  await new Promise<void>(() => setInterval(() => undefined, 1 << 30));
}
