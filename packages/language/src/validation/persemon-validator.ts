/**
 * Registers the checks of every family, node type by node type. The families live one per file:
 * ranges (single values), references (names, imports, cycles, splits), datasets (and the splits
 * each declares), schedules (optimiser and learning rate), experiments (duplicates, modules and
 * their datasets), memory (what a synthetic set or a batch would take) and sweeps (each setting and
 * value against the experiments swept).
 */
import type { ValidationChecks } from 'langium';
import { isFusion, type PersemonAstType } from '../generated/ast.js';
import type { PersemonServices } from '../persemon-module.js';
import { DatasetSplitChecks } from './dataset-splits.js';
import { DatasetChecks } from './datasets.js';
import { ExperimentChecks } from './experiments.js';
import { FusionSearchChecks } from './fusion-search.js';
import { MemoryChecks } from './memory.js';
import { RangeChecks } from './ranges.js';
import { ReferenceChecks } from './references.js';
import { ScheduleChecks } from './schedules.js';
import { SweepChecks } from './sweeps.js';

export function registerValidationChecks(services: PersemonServices): void {
    const effective = services.validation.EffectiveExperiments;
    const ranges = new RangeChecks();
    const references = new ReferenceChecks(services);
    const datasets = new DatasetChecks(services);
    const schedules = new ScheduleChecks(effective);
    const experiments = new ExperimentChecks(effective);
    const memory = new MemoryChecks(effective);
    const splits = new DatasetSplitChecks();
    const fusion = new FusionSearchChecks(effective);
    const sweeps = new SweepChecks();
    const checks: ValidationChecks<PersemonAstType> = {
        Model: [references.imports, references.experimentNames],
        Experiment: [references.datasetNames, references.extendsCycle, experiments.duplicateSettings, experiments.modules, schedules.lengths, memory.batch,
            fusion.experiment],
        Seed: ranges.seed,
        Dataset: [datasets.path, datasets.options, experiments.duplicateOptions, memory.syntheticSet],
        Splits: splits.splits,
        Faces: experiments.duplicateOptions,
        FaceAlign: ranges.size,
        FaceConfidence: ranges.faceConfidence,
        ValidationRatio: ranges.validationRatio,
        SyntheticPeople: ranges.syntheticCount,
        SyntheticClips: ranges.syntheticCount,
        SyntheticFrames: ranges.syntheticCount,
        SyntheticImage: ranges.size,
        SyntheticShift: ranges.syntheticShift,
        Fem: [ranges.fem, experiments.duplicateOptions],
        FemInput: ranges.femInput,
        Pam: experiments.duplicateOptions,
        Ram: experiments.duplicateOptions,
        RamHidden: ranges.ramHidden,
        ConsensusOption: ranges.consensus,
        Sampling: experiments.duplicateOptions,
        Segments: ranges.segments,
        EmotionFrames: ranges.emotionFrames,
        PersonalityVideos: ranges.personalityVideos,
        MicroBatch: ranges.microBatch,
        Loss: experiments.duplicateLossWeights,
        LossWeight: [references.lossWeightName, ranges.lossWeight],
        Optimizer: [schedules.optimizerOptions, experiments.duplicateOptions],
        LearningRate: ranges.learningRate,
        Momentum: ranges.momentum,
        WeightDecay: ranges.weightDecay,
        Beta1: ranges.beta,
        Beta2: ranges.beta,
        Epsilon: ranges.epsilon,
        Schedule: [schedules.scheduleOptions, experiments.duplicateOptions],
        Iterations: ranges.iterations,
        Milestones: [ranges.milestones, schedules.milestonesOrder],
        Gamma: ranges.gamma,
        Warmup: ranges.warmup,
        MinLr: ranges.minLr,
        Evaluate: [ranges.evaluate, experiments.duplicateOptions],
        // `fusion search on` names a personality split; the evaluation splits are checked by kind of their block.
        SplitRef: (ref, accept) => isFusion(ref.$container) ? fusion.searchSplit(ref, accept) : references.splitRef(ref, accept),
        Fusion: ranges.fusion,
        Checkpoint: ranges.checkpoint,
        Sweep: sweeps.sweep
    };
    services.validation.ValidationRegistry.register(checks);
}
