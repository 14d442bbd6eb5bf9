// Bundles the CLI (and with it the language server it starts for `persemon lsp`) into dist/.
// Packages that carry native binaries, wasm files or model weights stay external and are loaded
// from node_modules, where their files are. tfjs-core's gradient files are the exception: its Node
// entry does not register them, src/train/gradients.ts imports them one by one, and Node cannot
// load those ES module files unbundled. Everything else (@persemon/language, langium, protobufjs,
// vega, vega-lite, umap-js) is inside the bundle, so an installed runtime needs only the external
// packages (packages/extension/stage-runtime.mjs copies them for the .vsix). `canvas` is the optional
// node-canvas that vega-canvas tries to import and does without.
import * as esbuild from 'esbuild';

await esbuild.build({
    entryPoints: { persemon: 'src/cli/main.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    conditions: ['source'],
    sourcemap: true,
    external: ['@vladmandic/face-api', '@napi-rs/canvas', '@ffmpeg-installer/*', 'canvas'],
    plugins: [{
        name: 'tensorflow-external',
        setup(build) {
            build.onResolve({ filter: /^@tensorflow\// }, args =>
                args.path.startsWith('@tensorflow/tfjs-core/dist/gradients/') ? undefined : { path: args.path, external: true });
        }
    }],
    // CommonJS dependencies call require(); give the ES module bundle one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning'
});
