/**
 * The one error type users see. Every stage throws it for bad input or an
 * unreachable/refusing directory; the CLI prints `message` as one line and
 * exits with `exitCode`. Anything else escaping to the CLI is a bug.
 */
export class ExbinderError extends Error {
  constructor(
    message: string,
    /** short machine-readable reason, e.g. 'tls-verify', 'ldif-syntax' */
    readonly code: string,
    /** process exit code; 2 = error (as diff(1)) */
    readonly exitCode = 2,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ExbinderError';
  }
}

/** Why a file could not be opened, in words rather than errno names. */
function unreadableReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ENOTFILE') return 'not a regular file';
  return err instanceof Error ? err.message : String(err);
}

/**
 * The one wording for every input file exbinder cannot read (snapshot, config,
 * supplement, LDIF, CA, password file): what, which path, why, and the fix.
 */
export function unreadableInput(what: string, path: string, err: unknown, fix: string, code: string): ExbinderError {
  return new ExbinderError(`cannot read ${what} ${path} (${unreadableReason(err)}): ${fix}`, code, 2, { cause: err });
}
