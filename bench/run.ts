/**
 * `npm run bench [-- NAME...]`: runs every bench/<name>.ts that exports `run()` (or the named ones),
 * one after another so they do not compete for the two cores, and writes bench/results.json with
 * the machine they ran on. Results of benches not run this time are kept from the previous file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const resultsFile = path.join(here, 'results.json');

const wanted = process.argv.slice(2);
const names = fs.readdirSync(here)
    .filter(f => f.endsWith('.ts') && f !== 'run.ts')
    .map(f => f.slice(0, -3))
    .filter(n => wanted.length === 0 || wanted.includes(n))
    .sort();

const readPrevious = (): Record<string, unknown> =>
    (fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')).results ?? {} : {});
const results: Record<string, unknown> = {};
for (const name of names) {
    const module = await import(pathToFileURL(path.join(here, `${name}.ts`)).href) as { run?: () => Promise<unknown> };
    if (typeof module.run !== 'function') continue;
    process.stderr.write(`bench: ${name}\n`);
    const started = Date.now();
    results[name] = { ...(await module.run()) as object, wall_s: (Date.now() - started) / 1000, at: new Date().toISOString() };
}
const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memory_gib: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`
};
// Read again just before writing, so that a bench that finished meanwhile in another process is kept.
const merged = { ...readPrevious(), ...results };
fs.writeFileSync(resultsFile, JSON.stringify({ machine, results: merged }, null, 2) + '\n');
process.stdout.write(JSON.stringify({ machine, results: merged }, null, 2) + '\n');
