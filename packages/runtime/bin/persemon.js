#!/usr/bin/env node
// The CLI ships as one esbuild bundle; `npm run build` writes it.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/persemon.js', import.meta.url);
if (!existsSync(bundle)) {
    process.stderr.write('persemon: the CLI is not built yet; run `npm run build` at the repository root\n');
    process.exit(1);
}
await import(bundle.href);
