/**
 * How much memory each engine can hold tensors in, for automatic micro-batching (which keeps 40% of
 * it free): the wasm heap is capped at 4 GiB by 32-bit addressing; the native CPU engine and the cpu
 * backend have the machine's memory (or the cgroup's limit, in a container or a Slurm job); the GPU
 * engine has the GPU's.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';

export const WASM_HEAP_BYTES = 4 * 2 ** 30;

/** Bytes for tensors: the wasm heap, the GPU's memory, or what this process may use of the machine's. */
export function engineMemoryBytes(engine: 'gpu' | 'node' | 'wasm' | 'cpu'): number {
    if (engine === 'wasm') return WASM_HEAP_BYTES;
    if (engine === 'gpu') {
        const gpu = gpuMemoryBytes();
        if (gpu != null) return gpu;
    }
    return Math.min(os.totalmem(), cgroupLimitBytes() ?? Infinity);
}

/** cgroup v2's memory.max (or v1's limit) for this process, when one is set. */
export function cgroupLimitBytes(): number | undefined {
    for (const file of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
        try {
            const value = Number(fs.readFileSync(file, 'utf8').trim());
            // v1 reports "no limit" as a huge number; v2 as "max", which is NaN here.
            if (Number.isFinite(value) && value > 0 && value < os.totalmem()) return value;
        } catch {
            // No such controller here.
        }
    }
    return undefined;
}

/** The smallest GPU's memory in bytes, from nvidia-smi (TensorFlow's device list is not exposed to tfjs). */
function gpuMemoryBytes(): number | undefined {
    const r = spawnSync('nvidia-smi', ['--query-gpu=memory.total', '--format=csv,noheader,nounits'], { encoding: 'utf8', timeout: 10_000 });
    if (r.status !== 0) return undefined;
    const mib = r.stdout.split('\n').map(Number).filter((n) => n > 0);
    return mib.length > 0 ? Math.min(...mib) * 2 ** 20 : undefined;
}
