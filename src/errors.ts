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
