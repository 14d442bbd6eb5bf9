/**
 * Memory one machine must hold: the in-memory synthetic set of a dataset, and one training batch
 * (sampling and FEM input may be inherited, so the batch is read from the effective experiment).
 * The estimates and their limits live in compile/limits.ts, shared with checkJobSpec.
 */
import type { AstNode, DiagnosticInfo, ValidationAcceptor } from 'langium';
import type * as ast from '../generated/ast.js';
import type { DatasetKind } from '../job-spec.js';
import { parseSize } from '../compile/compile.js';
import { DEFAULTS } from '../compile/defaults.js';
import { batchProblem, LIMITS, sidesAboveLimit, syntheticSetProblem } from '../compile/limits.js';
import { type EffectiveExperiments, writtenBy } from './effective-experiments.js';
import { issue, IssueCodes } from './issue-codes.js';

export class MemoryChecks {
    constructor(protected readonly effective: EffectiveExperiments) {}

    /** On the dataset's name; not when a single value is already out of range (ranges.ts reports that). */
    syntheticSet = (dataset: ast.Dataset, accept: ValidationAcceptor): void => {
        if (dataset.format !== 'synthetic' || !dataset.kind) return;
        const option = <T extends ast.DatasetOption['$type']>(type: T) =>
            dataset.options.filter((o): o is Extract<ast.DatasetOption, { $type: T }> => o.$type === type).at(-1);
        const image = option('SyntheticImage')?.size;
        const set = {
            people: option('SyntheticPeople')?.value ?? DEFAULTS.synthetic.people,
            clips: option('SyntheticClips')?.value ?? DEFAULTS.synthetic.clips,
            frames: option('SyntheticFrames')?.value ?? DEFAULTS.synthetic.frames,
            image: image ? parseSize(image) : DEFAULTS.synthetic.image
        };
        const counts = [set.people <= LIMITS.people.max, set.clips <= LIMITS.clips.max, set.frames <= LIMITS.frames.max];
        if (counts.includes(false) || sidesAboveLimit(set.image)) return;
        const problem = syntheticSetProblem(dataset.kind as DatasetKind, set);
        if (problem) accept('error', `${dataset.name}: ${problem}`, { node: dataset, property: 'name', ...issue(IssueCodes.OutOfRange) });
    };

    /** On the first sampling option or input this experiment wrote, else on its name when it added a dataset. */
    batch = (experiment: ast.Experiment, accept: ValidationAcceptor): void => {
        const e = this.effective.get(experiment);
        const value = (node: { value?: number } | undefined, fallback: number) => node?.value ?? fallback;
        const { Segments, EmotionFrames, PersonalityVideos } = e.sampling as {
            Segments?: ast.Segments; EmotionFrames?: ast.EmotionFrames; PersonalityVideos?: ast.PersonalityVideos;
        };
        const sampling = {
            segments: value(Segments, DEFAULTS.sampling.segments),
            emotionFrames: value(EmotionFrames, DEFAULTS.sampling.emotionFrames),
            personalityVideos: value(PersonalityVideos, DEFAULTS.sampling.personalityVideos)
        };
        const input = e.fem.input?.size ? parseSize(e.fem.input.size) : DEFAULTS.fem.input;
        // A count too large to represent (1e400) or a side out of range is ranges.ts's to report.
        if (!Object.values(sampling).every(Number.isFinite) || sidesAboveLimit(input)) return;
        const kinds = new Set([...e.datasets.values()].map(d => d.kind));
        const problem = batchProblem(sampling, input, { personality: kinds.has('personality'), emotion: kinds.has('emotion') });
        if (!problem) return;
        const involved: AstNode[] = [EmotionFrames, PersonalityVideos, Segments, e.fem.input, ...e.datasets.values()].filter(n => n !== undefined);
        // A problem inherited whole is reported by the ancestor that wrote it.
        const written = involved.find(node => writtenBy(experiment, node));
        if (!written) return;
        const target = written.$type === 'Dataset' ? { node: experiment, property: 'name' as const }
            : { node: written, property: written.$type === 'FemInput' ? 'size' : 'value' };
        accept('error', problem, { ...target, ...issue(IssueCodes.OutOfRange) } as DiagnosticInfo<AstNode>);
    };
}
