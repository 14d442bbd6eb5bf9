/**
 * job.schema.json checked with ajv, then the checks across settings that a schema cannot state
 * (checkJobSpec): the last guard before a JobSpec reaches the runtime, and the first check on a
 * hand-written JobSpec file.
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { JobSpec } from '../job-spec.js';
import schema from '../job.schema.json' with { type: 'json' };
import { checkJobSpec } from './check-job-spec.js';
import { LIMITS, type Limit, MIN_SYNTHETIC_PEOPLE } from './limits.js';

export { schema as jobSchema };

export class JobSpecError extends Error {
    constructor(readonly source: string, readonly problems: string[]) {
        super(`${source}: invalid JobSpec:\n  ${problems.join('\n  ')}`);
        this.name = 'JobSpecError';
    }
}

// verbose: errors carry the offending value, so a message can show it.
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
const validate = ajv.compile<JobSpec>(schema);

/**
 * Throws a JobSpecError naming each bad field (as a JSON path, e.g. `loss.margin`) unless `value`
 * is a valid JobSpec: one that matches the schema and passes checkJobSpec.
 */
export function assertJobSpec(value: unknown, source: string): asserts value is JobSpec {
    if (!validate(value)) throw new JobSpecError(source, describe(validate.errors ?? []));
    const problems = checkJobSpec(value);
    if (problems.length > 0) throw new JobSpecError(source, problems.map(p => `${p.path}: ${p.message}`));
}

function describe(errors: ErrorObject[]): string[] {
    // An if/then reports the branch's own errors and then 'if' itself; the branch's are the useful ones.
    const useful = errors.filter(e => e.keyword !== 'if');
    const lines = useful.map(e => {
        const field = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(root)';
        switch (e.keyword) {
            case 'additionalProperties':
                return `${field}: unknown field '${(e.params as { additionalProperty: string }).additionalProperty}'`;
            case 'required':
                return `${field}: missing field '${(e.params as { missingProperty: string }).missingProperty}'`;
            case 'enum':
                return `${field}: ${e.message} (${(e.params as { allowedValues: unknown[] }).allowedValues.map(v => JSON.stringify(v)).join(', ')})`;
            case 'type':
                // JSON has no Infinity, but a number beyond float64 (1e400) parses to it.
                return typeof e.data === 'number' && !Number.isFinite(e.data)
                    ? `${field}: must be a finite number: this one is too large to represent (beyond about 1.8e308)`
                    : `${field}: ${e.message}`;
            case 'minimum':
                return e.instancePath.endsWith('/synthetic/people')
                    ? `${field}: must be at least ${MIN_SYNTHETIC_PEOPLE.min}, not ${e.data}: ${MIN_SYNTHETIC_PEOPLE.why}`
                    : `${field}: ${e.message}`;
            case 'maximum': {
                const limit = limitOf(e.instancePath);
                const max = (e.params as { limit: number }).limit;
                return `${field}: must be at most ${max}, not ${e.data}${limit ? `: ${limit.why}` : ''}`;
            }
            default:
                return `${field}: ${e.message}`;
        }
    });
    return [...new Set(lines)];
}

/** The machine limit behind a field's maximum: by its name, a height or width by `side`. */
function limitOf(instancePath: string): Limit | undefined {
    const name = instancePath.split('/').filter(p => !/^\d+$/.test(p)).at(-1) ?? '';
    const key = name === 'height' || name === 'width' ? 'side' : name;
    return Object.hasOwn(LIMITS, key) ? LIMITS[key as keyof typeof LIMITS] : undefined;
}
