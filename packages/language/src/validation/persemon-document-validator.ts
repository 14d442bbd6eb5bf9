/**
 * Langium's document validator with the language's own messages for the problems it finds before
 * the checks run: syntax errors that suggest the keyword a misspelt word was meant to be, and
 * unknown datasets and experiments that suggest the closest name in scope. A document lists at most
 * a thousand problems (diagnostic-limit.ts).
 */

/** Suggesting a keyword parses the text before the error again: only the first errors get one, so many errors stay linear. */
const SUGGESTED_SYNTAX_ERRORS = 100;
import {
    type AstNode, type AstNodeDescription, type Cancellation, CstUtils, DefaultDocumentValidator, type IndexManager, type LangiumDocument,
    type ParseResult, type ScopeProvider, UriUtils, type ValidationOptions
} from 'langium';
import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import * as ast from '../generated/ast.js';
import { limitDiagnostics } from './diagnostic-limit.js';
import { type IssueCode, issue, IssueCodes } from './issue-codes.js';
import { closest } from './suggest.js';
import { KeywordSuggester } from './syntax.js';
import type { PersemonServices } from '../persemon-module.js';

export class PersemonDocumentValidator extends DefaultDocumentValidator {
    protected readonly keywords: KeywordSuggester;
    protected readonly scopeProvider: ScopeProvider;
    protected readonly index: IndexManager;

    constructor(services: PersemonServices) {
        super(services);
        this.keywords = new KeywordSuggester(services);
        this.scopeProvider = services.references.ScopeProvider;
        this.index = services.shared.workspace.IndexManager;
    }

    override async validateDocument(document: LangiumDocument, options?: ValidationOptions, cancelToken?: Cancellation.CancellationToken): Promise<Diagnostic[]> {
        return limitDiagnostics(await super.validateDocument(document, options, cancelToken), this.getSource());
    }

    // Langium spreads these into the document's list: limited here too, or a huge list overflows the stack there.
    protected override async validateAst(root: AstNode, options: ValidationOptions, cancelToken?: Cancellation.CancellationToken): Promise<Diagnostic[]> {
        return limitDiagnostics(await super.validateAst(root, options, cancelToken), this.getSource());
    }

    protected override processParsingErrors(parseResult: ParseResult, diagnostics: Diagnostic[], _options: ValidationOptions): void {
        const text = parseResult.value.$cstNode?.root.fullText ?? '';
        for (const [index, error] of parseResult.parserErrors.entries()) {
            const range = errorRange(error);
            const token = error.token;
            const suggestions = index < SUGGESTED_SYNTAX_ERRORS && token.tokenType?.name === 'ID' && !isNaN(token.startOffset)
                ? this.keywords.suggest(text, token.startOffset, token.image)
                : [];
            const { code, data } = suggestions.length > 0 ? issue(IssueCodes.MisspeltKeyword, suggestions) : issue(IssueCodes.SyntaxError);
            diagnostics.push({
                severity: DiagnosticSeverity.Error,
                range,
                message: suggestions.length > 0 ? `unexpected '${token.image}': did you mean '${suggestions[0]}'?` : error.message,
                code,
                data,
                source: this.getSource()
            });
        }
    }

    protected override processLinkingErrors(document: LangiumDocument, diagnostics: Diagnostic[], _options: ValidationOptions): void {
        for (const reference of document.references) {
            const error = reference.error;
            const range = reference.$refNode?.range;
            if (!error || !range) continue;
            const { container, property } = error.info;
            const name = reference.$refText;
            const candidates = [...this.scopeProvider.getScope(error.info).getAllElements()];
            const suggestions = closest(name, candidates.map(c => c.name));
            let code: IssueCode;
            let message: string;
            if (ast.isSplitRef(container) && property === 'dataset') {
                code = IssueCodes.UnknownDataset;
                message = `unknown dataset '${name}'` + (suggestions.length > 0 ? `: did you mean '${suggestions[0]}'?`
                    : candidates.length > 0 ? `; this experiment has ${names(candidates)}` : '; this experiment declares no dataset');
            } else if (ast.isExperiment(container) && property === 'parent') {
                code = IssueCodes.UnknownExperiment;
                message = `unknown experiment '${name}'` + (suggestions.length > 0 ? `: did you mean '${suggestions[0]}'?` : this.declaredElsewhere(document, name));
            } else {
                code = IssueCodes.SyntaxError;
                message = error.message;
            }
            diagnostics.push({ severity: DiagnosticSeverity.Error, range, message, ...issue(code, suggestions), source: this.getSource() });
        }
    }

    /** `; other.persemon declares it: import that file` when an experiment of that name exists elsewhere in the workspace. */
    protected declaredElsewhere(document: LangiumDocument, name: string): string {
        const elsewhere = this.index.allElements(ast.Experiment.$type).find(d => d.name === name && d.documentUri.toString() !== document.uri.toString());
        if (!elsewhere) return '';
        const relative = UriUtils.relative(UriUtils.dirname(document.uri), elsewhere.documentUri);
        return `; ${relative} declares it: add import "${relative}"`;
    }
}

function names(candidates: AstNodeDescription[]): string {
    return [...new Set(candidates.map(c => c.name))].join(', ');
}

/** Where a syntax error is shown: its token, or the end of the token before it when the parser made one up. */
type ParserError = ParseResult['parserErrors'][number];

function errorRange(error: ParserError): Diagnostic['range'] {
    const token = error.token;
    if (!isNaN(token.startOffset)) return CstUtils.tokenToRange(token);
    const previous = (error as ParserError & { previousToken?: typeof token }).previousToken;
    if (previous && !isNaN(previous.startOffset)) {
        const position = { line: previous.endLine! - 1, character: previous.endColumn! };
        return { start: position, end: position };
    }
    return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}
