// Bundles what the .vsix ships: the extension (CommonJS, as VS Code loads extensions, with
// vscode-languageclient inside and `vscode` provided by the editor), the language server built from
// @persemon/language's TypeScript sources, and the two webview pages.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', conditions: ['source'] };

await Promise.all([
    esbuild.build({
        ...common,
        entryPoints: ['src/extension.ts'],
        outfile: 'dist/extension.cjs',
        platform: 'node',
        target: 'node18',
        format: 'cjs',
        external: ['vscode']
    }),
    esbuild.build({
        ...common,
        entryPoints: ['../language/src/main.ts'],
        outfile: 'dist/server.js',
        platform: 'node',
        target: 'node18',
        format: 'esm',
        // CommonJS dependencies (vscode-languageserver) call require(); give the ES module bundle one.
        banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" }
    }),
    esbuild.build({
        ...common,
        entryPoints: { metrics: 'media/src/metrics.ts', predict: 'media/src/predict.ts' },
        outdir: 'media/out',
        platform: 'browser',
        target: 'es2022',
        format: 'iife'
    })
]);
