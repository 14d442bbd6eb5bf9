/**
 * Completion in context, on top of Langium's (keywords, enum values, metric names, and the
 * datasets and experiments in scope for references): split names after `dataset.`, the loss weights
 * in a loss block, and no keywords where a name is being written.
 */
import {
    AstUtils, type AstNodeDescription, CstUtils, GrammarAST, type LangiumDocument, type LangiumDocuments, type MaybePromise, type ReferenceInfo,
    type Stream, TextDocument, URI
} from 'langium';
import {
    type CompletionAcceptor, type CompletionContext, type CompletionProviderOptions, DefaultCompletionProvider, type LangiumServices,
    type NextFeature
} from 'langium/lsp';
import { type CompletionItem, CompletionItemKind, CompletionList, type CompletionParams } from 'vscode-languageserver';
import * as ast from '../generated/ast.js';
import { DEFAULTS } from '../compile/defaults.js';
import type { PersemonScopeProvider } from '../persemon-scope.js';
import { splitsOf } from '../validation/datasets.js';
import { settingPaths } from '../compile/sweep-settings.js';
import { SLURM_KEYS } from '../compile/sweep.js';
import { sweepJobSpecs } from '../validation/sweeps.js';

const LAMBDAS = ['lambda1', 'lambda2', 'lambda3', 'lambda4', 'lambda5'] as const;
const LAMBDA_TERMS = ['personality (PAM)', 'emotion (EAM)', 'discriminator', 'adversarial', 'RAM'];

export class PersemonCompletionProvider extends DefaultCompletionProvider {
    override readonly completionOptions: CompletionProviderOptions = { triggerCharacters: ['.'] };
    protected readonly persemonScope: PersemonScopeProvider;
    protected readonly documents: LangiumDocuments;

    constructor(services: LangiumServices) {
        super(services);
        this.persemonScope = services.references.ScopeProvider as PersemonScopeProvider;
        this.documents = services.shared.workspace.LangiumDocuments;
    }

    /**
     * What may come at the cursor depends only on the text since the start of the import or
     * experiment it is in: parse from there rather than from the top of a long document.
     */
    protected override findFeaturesAt(document: TextDocument, offset: number): NextFeature[] {
        const model = this.documents.getDocument(URI.parse(document.uri))?.parseResult.value;
        const starts = ast.isModel(model)
            ? [...model.imports, ...model.experiments, ...model.sweeps].map(n => n.$cstNode?.offset ?? 0).filter(start => start <= offset)
            : [];
        const start = Math.max(0, ...starts);
        if (start === 0) return super.findFeaturesAt(document, offset);
        const text = document.getText().substring(start, offset);
        return super.findFeaturesAt(TextDocument.create(document.uri, document.languageId, document.version, text), text.length);
    }

    override async getCompletion(document: LangiumDocument, params: CompletionParams): Promise<CompletionList | undefined> {
        return this.sweepCompletion(document, params) ?? this.splitCompletion(document, params) ?? super.getCompletion(document, params);
    }

    protected override completionFor(context: CompletionContext, next: NextFeature, acceptor: CompletionAcceptor): MaybePromise<void> {
        const rule = AstUtils.getContainerOfType(next.feature, GrammarAST.isParserRule)?.name;
        // Words like `validation` may serve as names; where a name is being written they are no suggestion.
        if (rule === 'Name' && GrammarAST.isKeyword(next.feature)) return;
        if (rule === 'LossName' && GrammarAST.isRuleCall(next.feature)) {
            this.completionForLossWeights(context, acceptor);
            return;
        }
        return super.completionFor(context, next, acceptor);
    }

    /**
     * `extends` offers the experiments in scope but the one being written; `personality on` the
     * personality datasets, `emotion on` the emotion ones.
     */
    protected override getReferenceCandidates(refInfo: ReferenceInfo, context: CompletionContext): Stream<AstNodeDescription> {
        const container = refInfo.container;
        const candidates = super.getReferenceCandidates(refInfo, context);
        if (ast.isExperiment(container)) return candidates.filter(c => c.node !== container);
        const evaluation = AstUtils.getContainerOfType(container, n => ast.isPersonalityEval(n) || ast.isEmotionEval(n));
        if (!evaluation) return candidates;
        const kind = ast.isPersonalityEval(evaluation) ? 'personality' : 'emotion';
        return candidates.filter(c => !ast.isDataset(c.node) || c.node.kind === kind);
    }

    protected completionForLossWeights(context: CompletionContext, acceptor: CompletionAcceptor): void {
        const typed = context.textDocument.getText().substring(context.tokenOffset, context.offset);
        // The ASCII spelling is offered once the writer has started typing it.
        const spellings = typed.startsWith('l') ? LAMBDAS.map(l => [l, l]) : LAMBDAS.map(l => [`λ${l.at(-1)}`, l]);
        spellings.forEach(([label, field], i) => acceptor(context, {
            label,
            kind: CompletionItemKind.Property,
            detail: `${LAMBDA_TERMS[i]} loss weight (paper: ${DEFAULTS.loss[field as (typeof LAMBDAS)[number]]})`,
            sortText: `0${i}`
        }));
    }

    /**
     * Where a swept setting's path is written (inside a sweep's braces, outside any list or slurm
     * block): the JobSpec's paths of the sweep's first experiment, `model.` left out as the language
     * leaves it out; in a slurm block, its settings.
     */
    protected sweepCompletion(document: LangiumDocument, params: CompletionParams): CompletionList | undefined {
        const model = document.parseResult.value;
        const offset = document.textDocument.offsetAt(params.position);
        const sweep = ast.isModel(model) ? model.sweeps.find(s => s.$cstNode && s.$cstNode.offset < offset && offset <= s.$cstNode.end) : undefined;
        if (!sweep?.$cstNode) return undefined;
        const text = document.textDocument.getText();
        const open = text.indexOf('{', sweep.$cstNode.offset);
        if (open < 0 || offset <= open) return undefined;
        const inside = text.substring(open + 1, offset);
        const depth = (o: string, c: string) => inside.split(o).length - inside.split(c).length;
        const word = /[\w\p{L}.]*$/u.exec(inside)![0];
        if (depth('[', ']') !== 0) return undefined;
        const start = document.textDocument.positionAt(offset - word.length);
        const item = (label: string, detail: string, i: number): CompletionItem => ({
            label, kind: CompletionItemKind.Property, detail, sortText: String(i).padStart(4, '0'),
            textEdit: { range: { start, end: params.position }, newText: label }
        });
        // Inside `slurm { … }`: its own settings.
        if (/\bslurm\s*\{[^}]*$/.test(inside)) {
            return CompletionList.create(Object.entries(SLURM_KEYS).map(([key, { doc }], i) => item(key, doc, i)), false);
        }
        const first = sweepJobSpecs(sweep)[0];
        if (!first) return undefined;
        const paths = settingPaths(first.spec).map(p => p.replace(/^model\./, '')).filter(p => p !== 'model' && p !== 'version' && this.fuzzyMatcher.match(word, p));
        return CompletionList.create(paths.map((p, i) => item(p, `setting of ${first.name}'s JobSpec`, i)), false);
    }

    /** After `name.` only a split of that dataset can follow. */
    protected splitCompletion(document: LangiumDocument, params: CompletionParams): CompletionList | undefined {
        const text = document.textDocument.getText();
        const offset = document.textDocument.offsetAt(params.position);
        const match = /([\p{L}_][\w\p{L}]*)\.([\w\p{L}]*)$/u.exec(text.substring(Math.max(0, offset - 200), offset));
        const root = document.parseResult.value.$cstNode;
        if (!match || !root) return undefined;
        const at = CstUtils.findLeafNodeBeforeOffset(root, offset - match[0].length) ?? CstUtils.findLeafNodeAtOffset(root, offset);
        const experiment = AstUtils.getContainerOfType(at?.astNode, ast.isExperiment);
        if (!experiment || !AstUtils.getContainerOfType(at?.astNode, ast.isEvaluate)) return undefined;
        const dataset = this.persemonScope.datasetScope(experiment).getElement(match[1])?.node;
        if (!ast.isDataset(dataset)) return undefined;
        const start = document.textDocument.positionAt(offset - match[2].length);
        const items: CompletionItem[] = splitsOf(dataset).filter(split => this.fuzzyMatcher.match(match[2], split)).map((split, i) => ({
            label: split,
            kind: CompletionItemKind.EnumMember,
            detail: `split of ${dataset.name}`,
            sortText: String(i).padStart(2, '0'),
            textEdit: { range: { start, end: params.position }, newText: split }
        }));
        return CompletionList.create(items, false);
    }
}
