/** Runs `persemon predict RUN_DIR FILE --json` and reads the picked file for display. */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { execCli, type Cli } from '../runner/cli.js';
import type { PredictResult } from './messages.js';

export const MEDIA_FILTERS = {
    'Images and videos': ['png', 'jpg', 'jpeg', 'bmp', 'webp', 'mp4', 'avi', 'mov', 'mkv', 'webm'],
    Images: ['png', 'jpg', 'jpeg', 'bmp', 'webp'],
    Videos: ['mp4', 'avi', 'mov', 'mkv', 'webm']
};

const MIME: Record<string, string> = {
    '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.bmp': 'image/bmp', '.webp': 'image/webp',
    '.mp4': 'video/mp4', '.webm': 'video/webm', '.mov': 'video/quicktime', '.mkv': 'video/x-matroska', '.avi': 'video/x-msvideo'
};

/** Larger files are not sent to the page: the predictions are still shown, without the picture. */
const MAX_MEDIA_BYTES = 64 << 20;

export async function predict(cli: Cli, runDir: string, file: string): Promise<PredictResult> {
    const result = await execCli(cli, ['predict', runDir, file, '--json'], path.dirname(runDir));
    if (result.code !== 0) throw new Error(result.stderr.trim() || `persemon predict exited with code ${result.code}`);
    try {
        return JSON.parse(result.stdout) as PredictResult;
    } catch {
        throw new Error(`persemon predict printed no JSON: ${result.stdout.slice(0, 200)}`);
    }
}

export async function readMedia(file: string): Promise<{ mime: string; bytes: Uint8Array } | undefined> {
    const mime = MIME[path.extname(file).toLowerCase()];
    if (!mime || (await fs.stat(file)).size > MAX_MEDIA_BYTES) return undefined;
    return { mime, bytes: new Uint8Array(await fs.readFile(file)) };
}
