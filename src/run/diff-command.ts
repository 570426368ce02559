/** `exbinder diff OLD NEW`: semantic drift between two snapshot files (one of them may be '-', stdin). */
import { ExbinderError } from '../errors.js';
import { diffSnapshots } from '../snapshot/diff.js';
import { attributeSpelling, FIELD_ATTRIBUTES } from '../harvest/registry.js';
import { driftExitCode } from '../snapshot/drift.js';
import { formatDriftJson, formatDriftMarkdown, formatDriftText } from '../render/drift.js';
import { readSnapshotArg } from './render-command.js';

export type DriftFormat = 'text' | 'md' | 'json';

export async function diffCommand(
  oldPath: string,
  newPath: string,
  format: DriftFormat,
  o: { color: boolean; readStdin?: () => Promise<string> },
): Promise<{ output: string; exitCode: 0 | 1 }> {
  if (oldPath === '-' && newPath === '-') throw new ExbinderError('only one of the two snapshots can come from standard input (-)', 'usage');
  const [baseline, current] = await Promise.all([readSnapshotArg(oldPath, o.readStdin), readSnapshotArg(newPath, o.readStdin)]);
  const report = diffSnapshots(baseline, current, FIELD_ATTRIBUTES);
  const output =
    format === 'json' ? formatDriftJson(report) : format === 'md' ? formatDriftMarkdown(report, { attributeSpelling }) : formatDriftText(report, { color: o.color, attributeSpelling });
  return { output, exitCode: driftExitCode(report) };
}
