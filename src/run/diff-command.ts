/** `exbinder diff OLD NEW`: semantic drift between two snapshot files. */
import { diffSnapshots } from '../snapshot/diff.js';
import { driftExitCode, formatDriftJson, formatDriftMarkdown, formatDriftText } from '../snapshot/diff-format.js';
import { loadSnapshot } from '../snapshot/migrate.js';

export type DriftFormat = 'text' | 'md' | 'json';

export async function diffCommand(
  oldPath: string,
  newPath: string,
  format: DriftFormat,
  o: { color: boolean },
): Promise<{ output: string; exitCode: 0 | 1 }> {
  const [baseline, current] = await Promise.all([loadSnapshot(oldPath), loadSnapshot(newPath)]);
  const report = diffSnapshots(baseline, current);
  const output =
    format === 'json' ? formatDriftJson(report) : format === 'md' ? formatDriftMarkdown(report) : formatDriftText(report, { color: o.color });
  return { output, exitCode: driftExitCode(report) };
}
