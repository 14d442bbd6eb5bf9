/**
 * Single values out of their range: counts that must be whole and positive, rates and fractions
 * with bounds, sizes the face network can take, and the sizes one machine can hold (LIMITS).
 * Each problem is reported on the value itself.
 */
import { type AstNode, type DiagnosticInfo, GrammarUtils, type ValidationAcceptor } from 'langium';
import type * as ast from '../generated/ast.js';
import { LOSS_NAMES } from '../compile/effective.js';
import { FEM_DEPTHS } from '../compile/defaults.js';
import { parseSize } from '../compile/compile.js';
import { aboveLimit, type Limit, LIMITS, MIN_SYNTHETIC_PEOPLE, sidesAboveLimit } from '../compile/limits.js';
import { femInputProblem, fusionProblem, fusionStepProblem } from '../compile/spec-rules.js';
import { issue, IssueCodes } from './issue-codes.js';
import { settingName } from './setting-names.js';

type Bound = { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean };

export class RangeChecks {
    seed = (node: ast.Seed, accept: ValidationAcceptor): void => {
        whole(accept, node, 'value', node.value, 'seed', 0, { limit: LIMITS.seed });
    };

    lossWeight = (node: ast.LossWeight, accept: ValidationAcceptor): void => {
        const field = LOSS_NAMES[node.name];
        if (field === 'margin') bounded(accept, node, 'value', node.value, 'margin', { min: 0, minExclusive: true });
        else if (field) bounded(accept, node, 'value', node.value, node.name, { min: 0 });
    };

    segments = (node: ast.Segments, accept: ValidationAcceptor): void => count(accept, node);
    emotionFrames = (node: ast.EmotionFrames, accept: ValidationAcceptor): void => count(accept, node);
    personalityVideos = (node: ast.PersonalityVideos, accept: ValidationAcceptor): void => count(accept, node);
    // `microbatch auto` has no value to check.
    microBatch = (node: ast.MicroBatch, accept: ValidationAcceptor): void => count(accept, node);

    learningRate = (node: ast.LearningRate, accept: ValidationAcceptor): void =>
        bounded(accept, node, 'value', node.value, 'lr', { min: 0, minExclusive: true });
    momentum = (node: ast.Momentum, accept: ValidationAcceptor): void =>
        bounded(accept, node, 'value', node.value, 'momentum', { min: 0, max: 1, maxExclusive: true });
    weightDecay = (node: ast.WeightDecay, accept: ValidationAcceptor): void =>
        bounded(accept, node, 'value', node.value, 'weight decay', { min: 0 });
    beta = (node: ast.Beta1 | ast.Beta2, accept: ValidationAcceptor): void =>
        bounded(accept, node, 'value', node.value, settingName(node.$type), { min: 0, max: 1, maxExclusive: true });
    epsilon = (node: ast.Epsilon, accept: ValidationAcceptor): void =>
        bounded(accept, node, 'value', node.value, 'epsilon', { min: 0, minExclusive: true });

    iterations = (node: ast.Iterations, accept: ValidationAcceptor): void => count(accept, node, undefined, LIMITS.iterations);
    gamma = (node: ast.Gamma, accept: ValidationAcceptor): void =>
        bounded(accept, node, 'value', node.value, 'gamma', { min: 0, minExclusive: true });
    warmup = (node: ast.Warmup, accept: ValidationAcceptor): void => whole(accept, node, 'value', node.value, 'warmup', 0);
    minLr = (node: ast.MinLr, accept: ValidationAcceptor): void => bounded(accept, node, 'value', node.value, 'min lr', { min: 0 });
    milestones = (node: ast.Milestones, accept: ValidationAcceptor): void => {
        node.values.forEach((value, index) => whole(accept, node, 'values', value, 'a milestone', 1, { index }));
    };

    fem = (node: ast.Fem, accept: ValidationAcceptor): void => {
        if (node.depth !== undefined && !(FEM_DEPTHS as readonly number[]).includes(node.depth)) {
            accept('error', `depth must be one of ${FEM_DEPTHS.join(', ')} (SphereFace's depths), not ${text(node, 'depth') ?? node.depth}`,
                { node, property: 'depth', ...issue(IssueCodes.FemDepth) });
        }
    };

    femInput = (node: ast.FemInput, accept: ValidationAcceptor): void => {
        if (!node.size) return;
        const size = parseSize(node.size);
        const problem = femInputProblem(size);
        if (problem) {
            accept('error', `input ${node.size}: ${problem}`, { node, property: 'size', ...issue(IssueCodes.FemInputSize) });
        }
        const tooLarge = sidesAboveLimit(size);
        if (tooLarge) accept('error', `input ${node.size}: ${tooLarge}`, { node, property: 'size', ...issue(IssueCodes.OutOfRange) });
    };

    ramHidden = (node: ast.RamHidden, accept: ValidationAcceptor): void => count(accept, node, 'hidden', LIMITS.hidden);
    consensus = (node: ast.ConsensusOption, accept: ValidationAcceptor): void => {
        if (node.hidden === undefined) return;
        if (node.kind !== 'lstm') {
            accept('warning', `hidden sizes an lstm consensus; ${node.kind} ignores it`,
                { node, keyword: 'hidden', ...issue(IssueCodes.OptionNotApplicable) });
        }
        whole(accept, node, 'hidden', node.hidden, 'hidden', 1, { limit: LIMITS.hidden });
    };

    evaluate = (node: ast.Evaluate, accept: ValidationAcceptor): void =>
        whole(accept, node, 'every', node.every, 'evaluate every', 1);
    checkpoint = (node: ast.Checkpoint, accept: ValidationAcceptor): void =>
        whole(accept, node, 'every', node.every, 'checkpoint every', 1);

    fusion = (node: ast.Fusion, accept: ValidationAcceptor): void => {
        if (node.search) {
            if (typeof node.step !== 'number') return;
            const problem = fusionStepProblem(node.step, text(node, 'step'));
            if (problem) accept('error', problem, { ...at(node, 'step'), ...issue(IssueCodes.OutOfRange) });
            return;
        }
        bounded(accept, node, 'pam', node.pam, 'the pam weight', { min: 0 });
        bounded(accept, node, 'ram', node.ram, 'the ram weight', { min: 0 });
        // A broken document may lack a weight: the parser reports that.
        if (node.pam === undefined || node.ram === undefined) return;
        const problem = fusionProblem({ pam: node.pam, ram: node.ram });
        if (problem) accept('error', problem, { node, ...issue(IssueCodes.FusionWeights) });
    };

    validationRatio = (node: ast.ValidationRatio, accept: ValidationAcceptor): void => {
        if (node.heldOut === undefined) {
            bounded(accept, node, 'value', node.value, 'validation', { min: 0, max: 1, minExclusive: true, maxExclusive: true });
        } else {
            bounded(accept, node, 'value', node.value, 'the train part of validation', { min: 0, minExclusive: true });
            bounded(accept, node, 'heldOut', node.heldOut, 'the validation part of validation', { min: 0, minExclusive: true });
        }
    };

    syntheticCount = (node: ast.SyntheticPeople | ast.SyntheticClips | ast.SyntheticFrames, accept: ValidationAcceptor): void => {
        const label = settingName(node.$type);
        if (node.$type === 'SyntheticPeople') {
            whole(accept, node, 'value', node.value, label, MIN_SYNTHETIC_PEOPLE.min, { minWhy: MIN_SYNTHETIC_PEOPLE.why, limit: LIMITS.people });
        } else {
            count(accept, node, label, node.$type === 'SyntheticClips' ? LIMITS.clips : LIMITS.frames);
        }
    };
    syntheticShift = (node: ast.SyntheticShift, accept: ValidationAcceptor): void =>
        bounded(accept, node, 'value', node.value, 'shift', { min: 0, max: 1 });
    size = (node: ast.SyntheticImage | ast.FaceAlign, accept: ValidationAcceptor): void => {
        if (!node.size) return;
        const size = parseSize(node.size);
        if (size.height === 0 || size.width === 0) {
            accept('error', `${settingName(node.$type)} ${node.size} must have a positive height and width`,
                { node, property: 'size', ...issue(IssueCodes.OutOfRange) });
        }
        const tooLarge = sidesAboveLimit(size);
        if (tooLarge) accept('error', `${settingName(node.$type)} ${node.size}: ${tooLarge}`, { node, property: 'size', ...issue(IssueCodes.OutOfRange) });
    };
    faceConfidence = (node: ast.FaceConfidence, accept: ValidationAcceptor): void =>
        bounded(accept, node, 'value', node.value, 'confidence', { min: 0, max: 1 });
}

/** The value as the document writes it (`1e-3` stays `1e-3`). */
function text(node: AstNode, property: string, index?: number): string | undefined {
    return GrammarUtils.findNodeForProperty(node.$cstNode, property, index)?.text;
}

function at(node: AstNode, property: string, index?: number): DiagnosticInfo<AstNode> {
    return { node, property, index } as DiagnosticInfo<AstNode>;
}

/** A count: a whole number, at least 1, and at most `limit` when a machine bounds it. */
function count(accept: ValidationAcceptor, node: AstNode & { value?: number }, label = settingName(node.$type), limit?: Limit): void {
    whole(accept, node, 'value', node.value, label, 1, { limit });
}

interface WholeOptions {
    index?: number;
    /** Why the minimum, when it is not plain (a count starts at 1). */
    minWhy?: string;
    limit?: Limit;
}

function whole(accept: ValidationAcceptor, node: AstNode, property: string, value: number | undefined, label: string, min: number,
    { index, minWhy, limit }: WholeOptions = {}): void {
    // A value missing from a broken document is the parser's to report.
    if (typeof value !== 'number') return;
    const written = text(node, property, index) ?? String(value);
    const target = at(node, property, index);
    // Above the limit first: 1e400 reads as Infinity, which is too large rather than not whole.
    const above = limit && aboveLimit(value, limit, written);
    if (above) {
        accept('error', `${label} ${above}`, { ...target, ...issue(IssueCodes.OutOfRange) });
    } else if (!Number.isFinite(value)) {
        accept('error', `${label} ${notFinite(written)}`, { ...target, ...issue(IssueCodes.OutOfRange) });
    } else if (!Number.isInteger(value)) {
        accept('error', `${label} must be a whole number, not ${written}`, { ...target, ...issue(IssueCodes.NotWhole) });
    } else if (value < min) {
        accept('error', `${label} must be at least ${min}, not ${written}${minWhy ? `: ${minWhy}` : ''}`, { ...target, ...issue(IssueCodes.OutOfRange) });
    }
}

/** A number too large for a float64 (1e400) parses to Infinity. */
function notFinite(written: string): string {
    return `must be a finite number, not ${written}: it is too large to represent (beyond about 1.8e308)`;
}

function bounded(accept: ValidationAcceptor, node: AstNode, property: string, value: number | undefined, label: string, bound: Bound): void {
    if (typeof value !== 'number') return;
    const { min, max, minExclusive, maxExclusive } = bound;
    const belowMin = min !== undefined && (minExclusive ? value <= min : value < min);
    const aboveMax = max !== undefined && (maxExclusive ? value >= max : value > max);
    const written = text(node, property) ?? String(value);
    if (belowMin || aboveMax) {
        accept('error', `${label} must be ${describe(bound)}, not ${written}`, { ...at(node, property), ...issue(IssueCodes.OutOfRange) });
    } else if (!Number.isFinite(value)) {
        accept('error', `${label} ${notFinite(written)}`, { ...at(node, property), ...issue(IssueCodes.OutOfRange) });
    }
}

function describe({ min, max, minExclusive, maxExclusive }: Bound): string {
    if (min !== undefined && max !== undefined) {
        if (!minExclusive && maxExclusive) return `at least ${min} and less than ${max}`;
        if (minExclusive && maxExclusive) return `between ${min} and ${max}, exclusive`;
        return `between ${min} and ${max}`;
    }
    if (min !== undefined) return minExclusive ? `greater than ${min}` : `at least ${min}`;
    return maxExclusive ? `less than ${max}` : `at most ${max}`;
}
