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
