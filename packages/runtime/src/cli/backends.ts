/** `persemon backends`: which compute backends load here, and why the others do not. */
import { probeBackends } from '../backend/select.js';
import type { Output } from './output.js';

export async function backends(json: boolean, out: Output): Promise<void> {
    const probes = await probeBackends();
    if (json) {
        out.line(JSON.stringify(probes, null, 2));
        return;
    }
    for (const p of probes) {
        const state = p.loads ? `loads (${p.version}${p.threads ? `, ${p.threads} thread(s)` : ''})` : 'does not load';
        out.line(`${p.name.padEnd(5)} ${state}${p.reason ? `: ${p.reason}` : ''}`);
    }
}
