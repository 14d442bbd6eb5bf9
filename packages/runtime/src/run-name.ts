/**
 * A run directory's name: `<experiment>-<yyyymmdd-hhmmss>` in local time, then `-2`, `-3`, ... when
 * another run took that name in the same second: `runDirName` writes it for createRunDir, and
 * `parseRunDirName` reads it back for readers (the editor's Runs view), which get the experiment from
 * it when no start event names it yet. No imports: safe for any bundle.
 */

/** Groups: experiment, yyyymmdd, hhmmss, and the clash suffix when there is one. */
export const RUN_DIR_NAME = /^(.+)-(\d{8})-(\d{6})(?:-(\d+))?$/;

export interface RunDirNameParts {
    experiment: string;
    /** When the run was created, to the second, in local time. */
    created: Date;
    /** 1 for the first run of that second, 2 for the `-2` that came next, ... */
    attempt: number;
}

/** The name of the `attempt`th run of `experiment` created in the second of `created` (local time). */
export function runDirName(experiment: string, created: Date, attempt = 1): string {
    const p = (n: number) => String(n).padStart(2, '0');
    const day = `${created.getFullYear()}${p(created.getMonth() + 1)}${p(created.getDate())}`;
    const time = `${p(created.getHours())}${p(created.getMinutes())}${p(created.getSeconds())}`;
    return `${experiment}-${day}-${time}${attempt > 1 ? `-${attempt}` : ''}`;
}

/** The parts of a run directory's name (its last path segment), or undefined for another name. */
export function parseRunDirName(name: string): RunDirNameParts | undefined {
    const match = RUN_DIR_NAME.exec(name);
    if (!match) return undefined;
    const [, experiment, day, time, suffix] = match;
    const digits = (text: string, from: number, to: number) => Number(text.slice(from, to));
    const created = new Date(digits(day, 0, 4), digits(day, 4, 6) - 1, digits(day, 6, 8), digits(time, 0, 2), digits(time, 2, 4), digits(time, 4, 6));
    return { experiment, created, attempt: suffix === undefined ? 1 : Number(suffix) };
}
