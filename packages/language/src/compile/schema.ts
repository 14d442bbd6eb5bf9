/**
 * job.schema.json checked with ajv: the last guard before a JobSpec reaches the runtime, and the
 * first check on a hand-written JobSpec file.
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { JobSpec } from '../job-spec.js';
import schema from '../job.schema.json' with { type: 'json' };

export { schema as jobSchema };

export class JobSpecError extends Error {
    constructor(readonly source: string, readonly problems: string[]) {
        super(`${source}: invalid JobSpec:\n  ${problems.join('\n  ')}`);
        this.name = 'JobSpecError';
    }
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile<JobSpec>(schema);

/** Throws a JobSpecError naming each bad field (as a JSON path, e.g. `loss.margin`) unless `value` is a valid JobSpec. */
export function assertJobSpec(value: unknown, source: string): asserts value is JobSpec {
    if (validate(value)) return;
    throw new JobSpecError(source, describe(validate.errors ?? []));
}

function describe(errors: ErrorObject[]): string[] {
    // oneOf reports every branch; the branch-level messages are the useful ones.
    const useful = errors.filter(e => e.keyword !== 'oneOf' && e.keyword !== 'if');
    const lines = useful.map(e => {
        const field = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(root)';
        switch (e.keyword) {
            case 'additionalProperties':
                return `${field}: unknown field '${(e.params as { additionalProperty: string }).additionalProperty}'`;
            case 'required':
                return `${field}: missing field '${(e.params as { missingProperty: string }).missingProperty}'`;
            case 'enum':
                return `${field}: ${e.message} (${(e.params as { allowedValues: unknown[] }).allowedValues.map(v => JSON.stringify(v)).join(', ')})`;
            default:
                return `${field}: ${e.message}`;
        }
    });
    return [...new Set(lines)];
}
