/**
 * Which ffmpeg decodes videos: the system's (on PATH) where installed, as it is usually newer and
 * built for the machine; otherwise the static binary that @ffmpeg-installer/ffmpeg ships inside its
 * platform package, so nothing is downloaded at install or run time.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

export interface FfmpegBinary {
    path: string;
    origin: 'system' | 'package';
}

export class FfmpegNotFoundError extends Error {
    constructor(detail: string) {
        super(`ffmpeg not found: ${detail}; install ffmpeg (e.g. apt-get install ffmpeg) or reinstall @ffmpeg-installer/ffmpeg`);
        this.name = 'FfmpegNotFoundError';
    }
}

let found: FfmpegBinary | undefined;

export function findFfmpeg(): FfmpegBinary {
    found ??= onPath() ?? fromPackage();
    return found;
}

function onPath(): FfmpegBinary | undefined {
    const name = process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
        if (dir === '') continue;
        const candidate = path.join(dir, name);
        if (isExecutable(candidate)) return { path: candidate, origin: 'system' };
    }
    return undefined;
}

function fromPackage(): FfmpegBinary {
    let binary: string;
    try {
        binary = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    } catch (error) {
        // The package throws a plain string when its platform package is missing.
        throw new FfmpegNotFoundError(`none on PATH, and @ffmpeg-installer/ffmpeg failed: ${String(error instanceof Error ? error.message : error)}`);
    }
    if (!isExecutable(binary)) throw new FfmpegNotFoundError(`none on PATH, and ${binary} is not executable`);
    return { path: binary, origin: 'package' };
}

function isExecutable(file: string): boolean {
    try {
        accessSync(file, constants.X_OK);
        return statSync(file).isFile();
    } catch {
        return false;
    }
}
