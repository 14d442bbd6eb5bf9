/**
 * The checks of a `sweep`: each setting's path and each of its values against every experiment the
 * sweep runs over (the experiment compiled to its JobSpec, the value applied, then the schema and
 * checkJobSpec, as `persemon sweep` will), zipped lists of one length, a path varied once, an
 * experiment named once, Slurm settings it knows.
 */
import type { ValidationAcceptor } from 'langium';
import type * as ast from '../generated/ast.js';
import { compileExperiment } from '../compile/compile.js';
import { applySettings, resolveSettingPath } from '../compile/sweep-settings.js';
import { slurmProblem, sweepValue } from '../compile/sweep.js';
import { IssueCodes } from './issue-codes.js';
import type { JobSpec } from '../job-spec.js';

/** The experiments a sweep names that compile, each with its JobSpec; one that does not has its own errors. */
export function sweepJobSpecs(sweep: ast.Sweep): Array<{ name: string; spec: JobSpec }> {
    const specs: Array<{ name: string; spec: JobSpec }> = [];
    for (const ref of sweep.experiments) {
        const experiment = ref.ref;
        if (!experiment || specs.some(s => s.name === experiment.name)) continue;
        try {
            specs.push({ name: experiment.name, spec: compileExperiment(experiment, null) });
        } catch {
            // The experiment's own diagnostics say what is wrong with it.
        }
    }
    return specs;
}

/** Every setting of a sweep, those in zips included. */
export function sweepSettings(sweep: ast.Sweep): ast.SweepSetting[] {
    return sweep.items.flatMap(item => item.$type === 'SweepSetting' ? [item] : item.$type === 'SweepZip' ? item.settings : []);
}



export class SweepChecks {
    sweep = (sweep: ast.Sweep, accept: ValidationAcceptor): void => {
        const named = new Set<string>();
        for (const [i, ref] of sweep.experiments.entries()) {
            if (named.has(ref.$refText)) accept('error', `experiment ${ref.$refText} is named twice in this sweep`, { node: sweep, property: 'experiments', index: i, code: IssueCodes.SweepDuplicateExperiment });
            named.add(ref.$refText);
        }
        const specs = sweepJobSpecs(sweep);
        const varied = new Map(specs.map(({ name }) => [name, new Set<string>()]));
        for (const setting of sweepSettings(sweep)) {
            const problems = new Map<string, string[]>();
            for (const { name, spec } of specs) {
                const resolved = resolveSettingPath(spec, setting.path);
                if ('problem' in resolved) {
                    (problems.get(resolved.problem) ?? problems.set(resolved.problem, []).get(resolved.problem)!).push(name);
                    continue;
                }
                const seen = varied.get(name)!;
                if (seen.has(resolved.path)) accept('error', `${resolved.path} is varied twice in this sweep (experiment ${name})`, { node: setting, property: 'path', code: IssueCodes.SweepDuplicatePath });
                seen.add(resolved.path);
                this.values(setting, name, spec, accept);
            }
            for (const [problem, experiments] of problems) {
                accept('error', `${problem}${specs.length > 1 ? ` (in ${experiments.join(', ')})` : ''}`, { node: setting, property: 'path', code: IssueCodes.SweepUnknownPath });
            }
        }
        for (const item of sweep.items) {
            if (item.$type === 'SweepZip') this.zip(item, accept);
            if (item.$type === 'SweepSlurm') {
                for (const option of item.options) {
                    const problem = slurmProblem(option);
                    if (problem) accept('error', problem, { node: option, property: 'key', code: IssueCodes.SweepSlurm });
                }
            }
        }
    };

    /** Each value applied alone to the experiment's JobSpec, checked as `persemon sweep` checks a point. */
    private values(setting: ast.SweepSetting, experiment: string, spec: JobSpec, accept: ValidationAcceptor): void {
        setting.values.forEach((value, index) => {
            const { problems } = applySettings(spec, [{ path: setting.path, value: sweepValue(value) }]);
            for (const p of problems) accept('error', `${p.message} (experiment ${experiment})`, { node: setting, property: 'values', index, code: IssueCodes.SweepBadValue });
        });
    }

    private zip(zip: ast.SweepZip, accept: ValidationAcceptor): void {
        if (zip.settings.length === 0) {
            accept('warning', 'an empty zip varies nothing', { node: zip, keyword: 'zip', code: IssueCodes.SweepEmptyZip });
            return;
        }
        const length = zip.settings[0].values.length;
        for (const setting of zip.settings.slice(1)) {
            if (setting.values.length !== length) {
                accept('error', `the settings of a zip vary together, so each lists as many values as the first (${length}), not ${setting.values.length}`,
                    { node: setting, property: 'path', code: IssueCodes.SweepZipLengths });
            }
        }
    }
}
