/** Where a CLI verb writes: results to stdout, progress and summaries to stderr. */
export interface Output {
    /** A result line (stdout): what scripts read. */
    line(text: string): void;
    /** A human note (stderr). */
    info(text: string): void;
}

export const processOutput: Output = {
    line: text => process.stdout.write(text + '\n'),
    info: text => process.stderr.write(text + '\n')
};
