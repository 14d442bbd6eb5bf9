/** Which persemon this is: `persemon --version` and every run's `start` event name it. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The @persemon/runtime package this code belongs to: the first package.json of that name above
 * this file, which is packages/runtime when run from source and dist/ in the bundle, wherever the bundle
 * was installed (a global npm prefix, the extension's copy).
 */
export function runtimePackage(): { dir: string; version: string } {
    const here = fileURLToPath(import.meta.url);
    for (let dir = path.dirname(here); ; dir = path.dirname(dir)) {
        try {
            const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
            if (pkg.name === '@persemon/runtime' && typeof pkg.version === 'string') return { dir, version: pkg.version };
        } catch {
            // No package.json here, or not one that parses: look further up.
        }
        if (path.dirname(dir) === dir) throw new Error(`no package.json of @persemon/runtime in the folders above ${here}`);
    }
}
