/** JSON text of a file the CLI wrote, parsed; a broken one is an error naming that file. */
export function parseJsonFile(text: string, file: string): unknown {
    try {
        return JSON.parse(text);
    } catch (error) {
        throw new Error(`${file}: not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
}
