/**
 * `persemon backends [--json]`: which compute backends load here, and why the others do not.
 * `persemon backends install node|gpu [--wheel FILE|DIR] [--force]`: builds a native TensorFlow engine.
 */
import { installEngine } from '../backend/native/install.js';
import { NATIVE_KINDS, type NativeKind } from '../backend/native/engine.js';
import { probeBackends } from '../backend/select.js';
import { UsageError } from '../errors.js';
import type { Output } from './output.js';
import { flag, stringValue, type Verb } from './verb.js';

export const backendsVerb: Verb = {
    name: 'backends',
    computes: true,
    actions: [
        {
            summary: 'which compute backends load here, and why not',
            description: 'Each compute backend, in the order `auto` tries them, with whether it loads here and why\n'
                + 'not: TensorFlow\'s version, where it came from and its devices for the native engines.',
            options: {
                json: { type: 'boolean', help: 'the list as JSON' },
            },
            exit: { 0: 'when the list is printed, whichever backends load', 1: 'when probing failed' },
            run: (args, out) => list(flag(args, 'json'), out),
        },
        {
            name: 'install',
            args: NATIVE_KINDS.join('|'),
            summary: 'build the native TensorFlow engine from TensorFlow\'s\n'
                + 'wheel (pip); the gpu one with its CUDA 12 wheels',
            description: 'Builds a native TensorFlow engine from TensorFlow\'s Python wheel (pip; for gpu with the\n'
                + 'CUDA 12 wheels), loads it once in a fresh process, and only then moves it into place. Run\n'
                + 'again, it only checks that the engine still loads. Prints the engine\'s folder.',
            options: {
                wheel: { type: 'string', value: 'FILE|DIR', help: 'a TensorFlow wheel, or an unpacked one (a site-packages), in place of pip' },
                force: { type: 'boolean', help: 'rebuild an engine that is already installed' },
            },
            exit: { 0: 'when the engine is installed (or was, and still loads)', 1: 'when a tool is missing or the build or load failed (nothing is installed)' },
            run: async (args, out) => {
                const [kind, ...extra] = args.positionals;
                if (kind === undefined || extra.length > 0 || !isNativeKind(kind)) {
                    throw new UsageError(`backends install needs one engine: ${NATIVE_KINDS.join(' or ')}`);
                }
                await install(kind, stringValue(args, 'wheel'), flag(args, 'force'), out);
            },
        },
    ],
};

async function list(json: boolean, out: Output): Promise<void> {
    const probes = await probeBackends();
    if (json) {
        out.line(JSON.stringify(probes, null, 2));
        return;
    }
    for (const p of probes) {
        const state = p.loads ? `loads (${p.version}${p.threads ? `, ${p.threads} thread(s)` : ''})` : 'does not load';
        out.line(`${p.name.padEnd(5)} ${state}${p.reason ? `: ${p.reason}` : ''}`);
        if (p.tensorflow) out.line(`      TensorFlow ${p.tensorflow} from ${p.source}; devices: ${p.devices?.join(', ')}`);
    }
}

async function install(kind: NativeKind, wheel: string | undefined, force: boolean, out: Output): Promise<void> {
    const result = await installEngine({ kind, wheel, force, log: (line) => out.info(line) });
    out.line(result.root);
    out.info(`${result.reused ? 'checked' : 'built'} in ${result.seconds.toFixed(1)} s; \`--backend ${kind}\` (and \`auto\`) now use it`);
}

function isNativeKind(value: string): value is NativeKind {
    return (NATIVE_KINDS as readonly string[]).includes(value);
}
