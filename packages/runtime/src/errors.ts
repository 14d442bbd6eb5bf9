/** CLI actions throw these; only the entry point turns them into exit codes. */

/** Bad arguments: exit 2. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'UsageError';
    }
}

/** A bad document, JobSpec, run directory or dataset: exit 1. */
export class UserError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'UserError';
    }
}

/** What Node's fs functions throw: a code, the call and the path it failed on. */
export interface SystemError extends Error {
    code: string;
    syscall?: string;
    path?: string;
    dest?: string;
}

export function isSystemError(error: unknown): error is SystemError {
    return error instanceof Error && typeof (error as SystemError).code === 'string' && /^E[A-Z]+$/.test((error as SystemError).code);
}

/** Plain words for the codes a user can fix: a missing, misplaced or unwritable path, a full disk. */
const PROBLEMS: Record<string, string> = {
    ENOENT: 'does not exist',
    EISDIR: 'is a folder, not a file',
    ENOTDIR: 'is not a folder (or a part of its path is a file)',
    ENAMETOOLONG: 'name too long',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'on a read-only file system',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EEXIST: 'already exists',
    ENOTEMPTY: 'is not empty',
    ELOOP: 'too many symbolic links',
    EMFILE: 'too many open files'
};

/**
 * A file-system failure as a UserError naming the path and the problem, without a stack trace;
 * anything else is returned unchanged (a bug keeps its stack).
 */
export function asUserError(error: unknown, fallbackPath?: string): unknown {
    if (!isSystemError(error) || !(error.code in PROBLEMS)) return error;
    const where = error.path ?? fallbackPath ?? 'file';
    const doing = error.syscall ? ` (${error.syscall}${error.dest ? ` to ${error.dest}` : ''})` : '';
    return new UserError(`${where}: ${PROBLEMS[error.code]}${doing}`);
}
