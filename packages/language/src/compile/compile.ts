/**
 * AST -> JobSpec: the experiment's effective settings with every default filled in, paths made
 * absolute, and the result checked against job.schema.json.
 */
import * as path from 'node:path';
import type * as ast from '../generated/ast.js';
import type {
    BackendKind, ConsensusSpec, DatasetFormat, DatasetKind, DatasetSpec, FemDepth, FusionSpec, JobSpec, MetricName,
    OptimizerSpec, ScheduleSpec, Size, SplitRefSpec
} from '../job-spec.js';
import { DEFAULTS, FORMAT_VALIDATION, datasetSplits, defaultEvaluationSplit } from './defaults.js';
import { describeCycle, effectiveExperiment, type EffectiveExperiment } from './effective.js';
import { assertJobSpec } from './schema.js';
import { defaultFusionSplit, noFusionSplitProblem } from './spec-rules.js';

export class CompileError extends Error {
    constructor(message: string, readonly experiment?: string) {
        super(message);
        this.name = 'CompileError';
    }
}

/** Parses `112x96` as height x width. */
export function parseSize(text: string): Size {
    const [height, width] = text.split('x').map(Number);
    return { height, width };
}

/** The validation fraction a `validation` option states: a fraction, or train:validation. */
export function validationFraction(option: ast.ValidationRatio): number {
    return option.heldOut === undefined ? option.value : option.heldOut / (option.value + option.heldOut);
}

/** Finds the experiment to compile: by name, or the only one in the document. */
export function selectExperiment(model: ast.Model, name?: string): ast.Experiment {
    if (name !== undefined) {
        const found = model.experiments.find(e => e.name === name);
        if (!found) {
            const known = model.experiments.map(e => e.name).join(', ') || 'none';
            throw new CompileError(`no experiment named '${name}' (experiments here: ${known})`, name);
        }
        return found;
    }
    if (model.experiments.length === 1) return model.experiments[0];
    if (model.experiments.length === 0) throw new CompileError('the document declares no experiment');
    throw new CompileError(
        `the document declares ${model.experiments.length} experiments; choose one with --experiment: `
        + model.experiments.map(e => e.name).join(', '));
}

/**
 * Compiles one experiment. `documentDir` anchors relative paths (datasets, weights, output).
 * The document must already be free of validation errors; the schema check is the last guard.
 */
export function compileExperiment(experiment: ast.Experiment, documentPath: string | null): JobSpec {
    const e = effectiveExperiment(experiment);
    if (e.cycle) {
        throw new CompileError(`'extends' forms a cycle${describeCycle(e.cycle, experiment)}`, experiment.name);
    }
    const baseDir = documentPath ? path.dirname(documentPath) : process.cwd();
    const fromDocument = (node: { $container?: unknown } | undefined, p: string) =>
        path.resolve(node ? nodeDir(node, baseDir) : baseDir, p);

    const input = e.fem.input ? parseSize(e.fem.input.size) : { ...DEFAULTS.fem.input };
    const iterations = whole((e.schedule.options.Iterations as ast.Iterations | undefined)?.value ?? DEFAULTS.schedule.iterations);
    const datasets = [...e.datasets.values()].map(d => compileDataset(d, input, fromDocument));
    const pamConsensus = consensus(e.pam.consensus);
    const personalitySplits = splitRefs(e, 'personality', datasets);

    const spec: JobSpec = {
        version: 1,
        experiment: experiment.name,
        source: documentPath ? path.resolve(documentPath) : null,
        seed: whole(e.seed?.value ?? DEFAULTS.seed),
        backend: (e.backend?.value ?? DEFAULTS.backend) as BackendKind,
        datasets,
        model: {
            fem: {
                family: 'sphereface',
                depth: whole(e.fem.node?.depth ?? DEFAULTS.fem.depth) as FemDepth,
                input,
                init: e.fem.init ? fromDocument(e.fem.init, e.fem.init.path) : null,
                freeze: e.fem.freeze !== undefined,
                features: DEFAULTS.fem.features
            },
            pam: { enabled: e.pam.enabled, consensus: pamConsensus },
            eam: { enabled: e.eam.enabled },
            ram: {
                enabled: e.ram.enabled,
                hidden: whole(e.ram.hidden?.value ?? DEFAULTS.ramHidden),
                // The paper's RAM uses the same consensus as PAM unless told otherwise.
                consensus: e.ram.consensus ? consensus(e.ram.consensus) : pamConsensus
            },
            coherence: { enabled: e.coherence.enabled }
        },
        sampling: {
            segments: whole(e.sampling.Segments?.value ?? DEFAULTS.sampling.segments),
            emotionFrames: whole(e.sampling.EmotionFrames?.value ?? DEFAULTS.sampling.emotionFrames),
            personalityVideos: whole(e.sampling.PersonalityVideos?.value ?? DEFAULTS.sampling.personalityVideos),
            microBatch: microBatch(e.sampling.MicroBatch as ast.MicroBatch | undefined)
        },
        loss: {
            lambda1: e.loss.lambda1?.value ?? DEFAULTS.loss.lambda1,
            lambda2: e.loss.lambda2?.value ?? DEFAULTS.loss.lambda2,
            lambda3: e.loss.lambda3?.value ?? DEFAULTS.loss.lambda3,
            lambda4: e.loss.lambda4?.value ?? DEFAULTS.loss.lambda4,
            lambda5: e.loss.lambda5?.value ?? DEFAULTS.loss.lambda5,
            margin: e.loss.margin?.value ?? DEFAULTS.loss.margin
        },
        optimizer: optimizer(e),
        schedule: schedule(e, iterations),
        evaluation: {
            every: whole((e.evaluate.node?.every ?? Math.min(DEFAULTS.evaluateEvery, iterations))),
            personality: personalitySplits,
            emotion: splitRefs(e, 'emotion', datasets),
            metrics: metrics(e),
            fusion: fusion(e, datasets, personalitySplits)
        },
        checkpoint: { every: whole(e.checkpoint?.every ?? Math.min(DEFAULTS.checkpointEvery, iterations)) },
        output: e.output ? fromDocument(e.output, e.output.path) : path.resolve(baseDir, DEFAULTS.output)
    };
    assertJobSpec(spec, `experiment ${experiment.name}`);
    return spec;
}

/** Relative paths are relative to the file that wrote them (a parent may live in another file). */
function nodeDir(node: { $container?: unknown }, fallback: string): string {
    let current: { $container?: unknown; $document?: { uri: { fsPath: string; scheme: string } } } = node;
    while (current.$container) current = current.$container as typeof current;
    const uri = current.$document?.uri;
    return uri && uri.scheme === 'file' ? path.dirname(uri.fsPath) : fallback;
}

function whole(n: number): number {
    return Math.round(n);
}

function compileDataset(d: ast.Dataset, femInput: Size, resolve: (node: ast.Dataset, p: string) => string): DatasetSpec {
    const format = d.format as DatasetFormat;
    const option = <T extends ast.DatasetOption['$type']>(type: T) =>
        d.options.filter((o): o is Extract<ast.DatasetOption, { $type: T }> => o.$type === type).at(-1);
    const validationOption = option('ValidationRatio');
    const validation = validationOption ? validationFraction(validationOption) : FORMAT_VALIDATION[format];
    const faces = option('Faces');
    const faceOption = <T extends ast.FaceOption['$type']>(type: T) =>
        faces?.options.filter((o): o is Extract<ast.FaceOption, { $type: T }> => o.$type === type).at(-1);
    const align = faceOption('FaceAlign');
    const synthetic = format === 'synthetic';
    return {
        name: d.name,
        kind: d.kind as DatasetKind,
        format,
        path: d.path !== undefined ? resolve(d, d.path) : null,
        splits: datasetSplits(format, option('Splits')?.names, validation),
        faces: {
            // The in-memory synthetic source renders faces already aligned; real data needs detection.
            enabled: faces ? !faces.off : !synthetic || d.path !== undefined,
            detector: (faceOption('FaceDetect')?.detector ?? DEFAULTS.faces.detector) as 'ssd' | 'tiny',
            align: align ? parseSize(align.size) : { ...femInput },
            confidence: faceOption('FaceConfidence')?.value ?? DEFAULTS.faces.confidence
        },
        validation,
        synthetic: synthetic ? {
            people: whole(option('SyntheticPeople')?.value ?? DEFAULTS.synthetic.people),
            clips: whole(option('SyntheticClips')?.value ?? DEFAULTS.synthetic.clips),
            frames: whole(option('SyntheticFrames')?.value ?? DEFAULTS.synthetic.frames),
            image: option('SyntheticImage') ? parseSize(option('SyntheticImage')!.size) : { ...DEFAULTS.synthetic.image },
            shift: option('SyntheticShift')?.value ?? DEFAULTS.synthetic.shift
        } : null
    };
}

function consensus(option: ast.ConsensusOption | undefined): ConsensusSpec {
    return {
        kind: option?.kind ?? DEFAULTS.consensus.kind,
        hidden: whole(option?.hidden ?? DEFAULTS.consensus.hidden)
    };
}

function microBatch(option: ast.MicroBatch | undefined): number | 'auto' {
    if (!option || option.auto || option.value === undefined) return 'auto';
    return whole(option.value);
}

function optimizer(e: EffectiveExperiment): OptimizerSpec {
    const o = e.optimizer.options;
    const value = (type: ast.OptimizerOption['$type']) => (o[type] as { value: number } | undefined)?.value;
    if (e.optimizer.node?.kind === 'adam') {
        const d = DEFAULTS.adam;
        return {
            kind: 'adam',
            lr: value('LearningRate') ?? d.lr,
            beta1: value('Beta1') ?? d.beta1,
            beta2: value('Beta2') ?? d.beta2,
            epsilon: value('Epsilon') ?? d.epsilon,
            weightDecay: value('WeightDecay') ?? d.weightDecay
        };
    }
    const d = DEFAULTS.sgd;
    return {
        kind: 'sgd',
        lr: value('LearningRate') ?? d.lr,
        momentum: value('Momentum') ?? d.momentum,
        weightDecay: value('WeightDecay') ?? d.weightDecay
    };
}

function schedule(e: EffectiveExperiment, iterations: number): ScheduleSpec {
    const o = e.schedule.options;
    const kind = (e.schedule.node?.kind ?? DEFAULTS.schedule.kind) as ScheduleSpec['kind'];
    const milestones = (o.Milestones as ast.Milestones | undefined)?.values.map(whole)
        ?? (kind === 'step' ? scaledMilestones(iterations) : []);
    return {
        kind,
        iterations,
        milestones: kind === 'step' ? milestones : [],
        gamma: (o.Gamma as ast.Gamma | undefined)?.value ?? DEFAULTS.schedule.gamma,
        warmup: whole((o.Warmup as ast.Warmup | undefined)?.value ?? DEFAULTS.schedule.warmup),
        minLr: (o.MinLr as ast.MinLr | undefined)?.value ?? DEFAULTS.schedule.minLr
    };
}

/**
 * Evaluation splits: those stated, else each dataset of the kind on its test split (validation
 * where the test labels are not public, as for Aff-Wild and Aff-Wild2).
 */
function splitRefs(e: EffectiveExperiment, kind: DatasetKind, datasets: DatasetSpec[]): SplitRefSpec[] {
    const stated = kind === 'personality' ? e.evaluate.options.PersonalityEval : e.evaluate.options.EmotionEval;
    if (stated) {
        return (stated as ast.PersonalityEval | ast.EmotionEval).splits.map(s => ({
            dataset: s.dataset.ref?.name ?? s.dataset.$refText,
            split: s.split
        }));
    }
    return datasets.filter(d => d.kind === kind).map(d => ({ dataset: d.name, split: defaultEvaluationSplit(d.format, d.splits) }));
}

function metrics(e: EffectiveExperiment): MetricName[] {
    const stated = e.evaluate.options.Metrics as ast.Metrics | undefined;
    return stated ? [...new Set(stated.names as MetricName[])] : [...DEFAULTS.metrics];
}

/** Fixed weights, or a search on the split stated or the default one (defaultFusionSplit). */
function fusion(e: EffectiveExperiment, datasets: DatasetSpec[], personality: SplitRefSpec[]): FusionSpec {
    const stated = e.evaluate.options.Fusion as ast.Fusion | undefined;
    if (!stated) return { ...DEFAULTS.fusion };
    // The grammar's fixed form has both numbers; a document missing one fails the schema check below.
    if (!stated.search) return { pam: stated.pam as number, ram: stated.ram as number };
    const on = stated.split
        ? { dataset: stated.split.dataset.ref?.name ?? stated.split.dataset.$refText, split: stated.split.split }
        : defaultFusionSplit(datasets, personality.map(r => r.dataset));
    if (!on) throw new CompileError(noFusionSplitProblem(datasets), e.experiment.name);
    return { search: { on, step: stated.step ?? DEFAULTS.fusionSearchStep } };
}

/**
 * The paper's milestones (32k and 48k of 56k) scaled to `iterations`. On a very short schedule two
 * can land on one step, or on the last: each is kept once, and only before the end.
 */
function scaledMilestones(iterations: number): number[] {
    const steps = DEFAULTS.milestoneFractions.map(f => Math.max(1, Math.round(f * iterations)));
    return [...new Set(steps)].filter(m => m < iterations);
}
