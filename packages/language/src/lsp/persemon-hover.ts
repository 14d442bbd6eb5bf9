/**
 * Hover: one sentence on the setting under the cursor (from the grammar's rule comments) and the
 * paper's value for it, or that the paper does not state one; the loss weights by name; and what a
 * dataset, split or experiment name refers to.
 */
import { AstUtils, type AstNode, CstUtils, type CstNode, GrammarAST, GrammarUtils, type LangiumDocument, parseJSDoc, UriUtils } from 'langium';
import { type LangiumServices, MultilineCommentHoverProvider } from 'langium/lsp';
import type { Hover, HoverParams } from 'vscode-languageserver';
import * as ast from '../generated/ast.js';
import { DEFAULTS } from '../compile/defaults.js';
import { LOSS_NAMES, type LossField } from '../compile/effective.js';
import { splitsOf } from '../validation/datasets.js';
import { settingName } from '../validation/setting-names.js';
import { resolveSettingPath } from '../compile/sweep-settings.js';
import { sweepRuns } from '../compile/sweep-runs.js';
import { sweepJobSpecs } from '../validation/sweeps.js';

/** The value at a canonical dotted path of a JobSpec. */
function valueAt(spec: unknown, path: string): unknown {
    return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], spec);
}

const size = (s: { height: number; width: number }) => `${s.height}x${s.width}`;
const paper = (value: string | number) => `Paper: ${value}.`;
const silent = (value: string | number, source?: string) => `Not stated in the paper; default ${value}${source ? `, ${source}` : ''}.`;

const step = DEFAULTS.schedule;
const PAPER_MILESTONES = DEFAULTS.milestoneFractions.map(f => Math.round(f * step.iterations));

/** What the paper says of each setting, from the defaults (which are the paper's values where it gives one). */
const PAPER_NOTES: Partial<Record<keyof ast.PersemonAstType, string>> = {
    Seed: silent(DEFAULTS.seed),
    Backend: silent(DEFAULTS.backend),
    Faces: paper('faces detected and aligned to the SphereFace template'),
    FaceDetect: silent(DEFAULTS.faces.detector),
    FaceAlign: paper(size(DEFAULTS.fem.input)),
    FaceConfidence: silent(DEFAULTS.faces.confidence),
    ValidationRatio: paper('10:1 for Aff-Wild, whose test labels are not public'),
    SyntheticPeople: silent(DEFAULTS.synthetic.people),
    SyntheticClips: silent(DEFAULTS.synthetic.clips),
    SyntheticFrames: silent(DEFAULTS.synthetic.frames),
    SyntheticImage: silent(size(DEFAULTS.synthetic.image)),
    SyntheticShift: silent(DEFAULTS.synthetic.shift),
    Fem: paper(`${DEFAULTS.fem.family} depth ${DEFAULTS.fem.depth}`),
    FemInput: paper(size(DEFAULTS.fem.input)),
    Pam: paper('on'),
    Eam: paper('on'),
    Ram: paper('on'),
    Coherence: paper('on'),
    RamHidden: paper(DEFAULTS.ramHidden),
    ConsensusOption: paper(`${DEFAULTS.consensus.kind} (lstm hidden ${DEFAULTS.consensus.hidden})`),
    Segments: paper(DEFAULTS.sampling.segments),
    EmotionFrames: paper(DEFAULTS.sampling.emotionFrames),
    PersonalityVideos: paper(DEFAULTS.sampling.personalityVideos),
    MicroBatch: silent('auto'),
    Loss: paper(`λ1 ${DEFAULTS.loss.lambda1}, λ2 ${DEFAULTS.loss.lambda2}, λ3 ${DEFAULTS.loss.lambda3}, λ4 ${DEFAULTS.loss.lambda4}, `
        + `λ5 ${DEFAULTS.loss.lambda5}, margin ${DEFAULTS.loss.margin}`),
    Optimizer: paper('sgd'),
    LearningRate: paper(DEFAULTS.sgd.lr),
    Momentum: silent(DEFAULTS.sgd.momentum, "SphereFace's Caffe setting"),
    WeightDecay: silent(DEFAULTS.sgd.weightDecay, "SphereFace's Caffe setting"),
    Beta1: silent(DEFAULTS.adam.beta1),
    Beta2: silent(DEFAULTS.adam.beta2),
    Epsilon: silent(DEFAULTS.adam.epsilon),
    Schedule: paper(step.kind),
    Iterations: paper(step.iterations),
    Milestones: paper(`[${PAPER_MILESTONES.join(', ')}]`),
    Gamma: paper(step.gamma),
    Warmup: silent(step.warmup),
    MinLr: silent(step.minLr),
    Evaluate: silent(`every ${DEFAULTS.evaluateEvery}`),
    Metrics: `Paper: mse, accuracy and r2; pcc and ccc are the field's. Default all five: ${DEFAULTS.metrics.join(', ')}. `
        + 'PCC is null where the truth or the prediction is constant (0/0); CCC only where both are the same constant.',
    Fusion: paper(`pam ${DEFAULTS.fusion.pam} ram ${DEFAULTS.fusion.ram}, "obtained by performing a grid search on a separate validation set"`)
        + ` \`fusion search\` repeats that search: step ${DEFAULTS.fusionSearchStep} by default, on the evaluated personality dataset's`
        + ' validation split unless `on` names another, maximising mean accuracy A.',
    Checkpoint: silent(`every ${DEFAULTS.checkpointEvery}`),
    Output: silent(`"${DEFAULTS.output}"`)
};

/** The terms of eq. 13 that each loss weight scales. */
const LOSS_TERMS: Record<LossField, string> = {
    lambda1: "Weight of PAM's personality loss in the total loss (eq. 13).",
    lambda2: "Weight of EAM's emotion loss in the total loss (eq. 13).",
    lambda3: "Weight of the coherence discriminator's loss in the total loss (eq. 13).",
    lambda4: 'Weight of the adversarial loss that makes FEM features fool the discriminator, in the total loss (eq. 13).',
    lambda5: "Weight of RAM's personality-from-emotion loss in the total loss (eq. 13).",
    margin: 'm, the margin of the smooth-L1 loss (eq. 3).'
};

export class PersemonHoverProvider extends MultilineCommentHoverProvider {
    private readonly ruleDocs = new Map<string, string>();

    constructor(services: LangiumServices) {
        super(services);
        for (const rule of services.Grammar.rules) {
            const comment = GrammarAST.isParserRule(rule) ? (rule as { $comment?: string }).$comment : undefined;
            if (comment) this.ruleDocs.set(rule.name, parseJSDoc(comment).toMarkdown());
        }
    }

    override async getHoverContent(document: LangiumDocument, params: HoverParams): Promise<Hover | undefined> {
        const root = document.parseResult?.value?.$cstNode;
        if (!root) return undefined;
        const leaf = CstUtils.findLeafNodeAtOffset(root, document.textDocument.offsetAt(params.position));
        // Punctuation and comments have nothing to explain.
        if (!leaf || leaf.hidden || !/[\p{L}\d]/u.test(leaf.text)) return undefined;
        const value = this.describe(leaf);
        return value ? { contents: { kind: 'markdown', value }, range: leaf.range } : undefined;
    }

    protected describe(leaf: CstNode): string | undefined {
        const node = leaf.astNode;
        const target = this.references.findDeclarations(leaf)[0];
        if (ast.isDataset(target)) return this.datasetHover(target, node);
        if (ast.isExperiment(target)) return this.experimentHover(target, node);
        if (ast.isSplitRef(node) && this.isProperty(leaf, node, 'split')) return this.splitHover(node);
        if (ast.isLossWeight(node) && this.isProperty(leaf, node, 'name')) return this.lossHover(node);
        if (ast.isSweep(node) && this.isProperty(leaf, node, 'name')) return this.sweepHover(node);
        if (ast.isSweepSetting(node) && this.isProperty(leaf, node, 'path')) return this.sweepSettingHover(node);
        for (let current: AstNode | undefined = node; current; current = current.$container) {
            const doc = this.ruleDocs.get(current.$type);
            if (doc && !ast.isModel(current)) return paragraphs(`**${settingName(current.$type)}**: ${doc}`, PAPER_NOTES[current.$type as keyof ast.PersemonAstType]);
        }
        return undefined;
    }

    protected datasetHover(dataset: ast.Dataset, from: AstNode): string {
        const where = dataset.path !== undefined ? `at \`${dataset.path}\`` : dataset.format === 'synthetic' ? 'rendered in memory' : 'with no path';
        const owner = AstUtils.getContainerOfType(dataset, ast.isExperiment);
        const declared = owner && owner !== AstUtils.getContainerOfType(from, ast.isExperiment) ? `Declared in ${owner.name}.` : undefined;
        return paragraphs(
            `**dataset ${dataset.name}**: ${dataset.kind}, ${dataset.format} format, ${where}.`,
            `Splits: ${splitsOf(dataset).join(', ')}.`,
            declared,
            this.documentationProvider.getDocumentation(dataset));
    }

    protected experimentHover(experiment: ast.Experiment, from: AstNode): string {
        const document = AstUtils.getDocument(experiment);
        const elsewhere = document !== AstUtils.getDocument(from) ? ` (${UriUtils.basename(document.uri)})` : '';
        const parent = experiment.parent ? ` extends ${experiment.parent.$refText}` : '';
        return paragraphs(`**experiment ${experiment.name}**${parent}${elsewhere}`, this.documentationProvider.getDocumentation(experiment));
    }

    protected splitHover(ref: ast.SplitRef): string {
        const dataset = ref.dataset.ref;
        if (!dataset) return `**${ref.split}**: a split of ${ref.dataset.$refText}.`;
        return `**${ref.split}**: a split of ${dataset.name} (${dataset.kind}); its splits are ${splitsOf(dataset).join(', ')}.`;
    }

    /** A sweep's runs: how many, and the product that makes them. */
    protected sweepHover(sweep: ast.Sweep): string {
        const { runs, product } = sweepRuns(sweep);
        return paragraphs(`**sweep ${sweep.name}**: ${runs} run${runs === 1 ? '' : 's'} = ${product}`, this.ruleDocs.get('Sweep'));
    }

    /** A swept setting: the JobSpec field it changes and its value in each experiment, before the sweep. */
    protected sweepSettingHover(setting: ast.SweepSetting): string {
        const sweep = AstUtils.getContainerOfType(setting, ast.isSweep);
        const lines = (sweep ? sweepJobSpecs(sweep) : []).map(({ name, spec }) => {
            const resolved = resolveSettingPath(spec, setting.path);
            return 'path' in resolved ? `- ${name}: \`${resolved.path}\` is ${JSON.stringify(valueAt(spec, resolved.path))}` : `- ${name}: ${resolved.problem}`;
        });
        return paragraphs(`**${setting.path}**: ${setting.values.length} value${setting.values.length === 1 ? '' : 's'}`, lines.join('\n'));
    }

    protected lossHover(weight: ast.LossWeight): string | undefined {
        const field = LOSS_NAMES[weight.name];
        if (!field) return undefined;
        const title = field === 'margin' ? '**margin**' : `**λ${field.at(-1)}** (${field})`;
        return paragraphs(`${title}: ${LOSS_TERMS[field]}`, paper(DEFAULTS.loss[field]));
    }

    private isProperty(leaf: CstNode, node: AstNode, property: string): boolean {
        const owner = GrammarUtils.findNodeForProperty(node.$cstNode, property);
        return owner !== undefined && (owner === leaf || CstUtils.isChildNode(leaf, owner));
    }
}

function paragraphs(...parts: Array<string | undefined>): string {
    return parts.filter(Boolean).join('\n\n');
}
