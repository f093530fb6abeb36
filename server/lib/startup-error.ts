/**
 * Why the server cannot start with what it found — the port, the data directory, the database —
 * said in one line that names the thing and what to do, rather than a stack trace: the operator
 * has something to fix, not a bug to report.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** A system error's reason in words (`permission denied`…), for StartupError messages. */
export function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a file is in the way';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
