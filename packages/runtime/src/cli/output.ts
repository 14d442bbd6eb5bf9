/** Where a CLI verb writes: results to stdout, progress and summaries to stderr. */
export interface Output {
    /** A result line (stdout): what scripts read. */
    line(text: string): void;
    /** A human note (stderr). */
    info(text: string): void;
}

/** A terminal or pipe to write text to. */
export interface TextStream {
    write(text: string): void;
    readonly isTTY: boolean;
}

/**
 * A stream whose reader may go away (`persemon run FILE | head -1`). Its failure (EPIPE, a closed
 * terminal) ends what is shown there, never the run: without an 'error' listener Node would raise
 * it as an uncaught exception, which the wasm backend's handler turns into a crash. Events still go
 * to events.jsonl, and the exit code stays the run's.
 */
export function readerMayLeave(stream: NodeJS.WriteStream): TextStream {
    let open = true;
    stream.on('error', () => {
        open = false;
    });
    return {
        write: text => {
            if (open && !stream.destroyed) stream.write(text);
        },
        get isTTY() {
            return Boolean(stream.isTTY);
        }
    };
}

export const stdout = readerMayLeave(process.stdout);
export const stderr = readerMayLeave(process.stderr);

export const processOutput: Output = {
    line: text => stdout.write(text + '\n'),
    info: text => stderr.write(text + '\n')
};
