/**
 * `persemon backends [--json]`: which compute backends load here, and why the others do not.
 * `persemon backends install node|gpu [--wheel FILE|DIR] [--force]`: builds a native TensorFlow engine.
 */
import { installEngine } from '../backend/native/install.js';
import { NATIVE_KINDS, type NativeKind } from '../backend/native/engine.js';
import { probeBackends } from '../backend/select.js';
import { UsageError } from '../errors.js';
import { parseArgs, stringOption } from './args.js';
import type { Output } from './output.js';

export async function backends(argv: string[], out: Output): Promise<void> {
    if (argv[0] === 'install') return install(argv.slice(1), out);
    const json = parseArgs(argv, [], ['json']).options.has('json');
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

async function install(argv: string[], out: Output): Promise<void> {
    const args = parseArgs(argv, ['wheel'], ['force']);
    const [kind, ...extra] = args.positionals;
    if (kind === undefined || extra.length > 0 || !(NATIVE_KINDS as readonly string[]).includes(kind)) {
        throw new UsageError(`backends install needs one engine: ${NATIVE_KINDS.join(' or ')}`);
    }
    const result = await installEngine({
        kind: kind as NativeKind, wheel: stringOption(args, 'wheel'), force: args.options.has('force'), log: (line) => out.info(line),
    });
    out.line(result.root);
    out.info(`${result.reused ? 'checked' : 'built'} in ${result.seconds.toFixed(1)} s; \`--backend ${kind}\` (and \`auto\`) now use it`);
}
