import * as os from 'node:os';
import * as path from 'node:path';

/** $XDG_CACHE_HOME/persemon, else ~/.cache/persemon: crops, native engines and other rebuildable files. */
export function persemonCacheDir(): string {
    const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
    return path.join(base, 'persemon');
}
