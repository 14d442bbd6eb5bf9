/**
 * Syntax errors in the words of the language: "expected '}' but found 'segmnts'" rather than
 * Chevrotain's token lists, and the keywords a misspelt word was probably meant to be.
 */
import { AstUtils, type Grammar, GrammarAST, GrammarUtils, type LangiumCompletionParser, type LangiumCoreServices } from 'langium';
import { findFirstFeatures, findNextFeatures } from 'langium/lsp';
import { closest } from './suggest.js';

// Chevrotain's types, through Langium (which does not re-export them).
type IParserErrorMessageProvider = LangiumCoreServices['parser']['ParserErrorMessageProvider'];
type IToken = Parameters<IParserErrorMessageProvider['buildMismatchTokenMessage']>[0]['actual'];
type TokenType = IToken['tokenType'];

const TERMINALS: Record<string, string> = {
    ID: 'a name',
    NUMBER: 'a number',
    STRING: 'a quoted string',
    SIZE: 'a size such as 112x96',
    EOF: 'the end of the file'
};

/** The word keywords (not punctuation) of a grammar rule, or of the whole grammar. */
function wordKeywords(node: GrammarAST.Grammar | GrammarAST.AbstractRule): Set<string> {
    return new Set(AstUtils.streamAllContents(node).filter(GrammarAST.isKeyword).map(k => k.value).filter(v => /^\p{L}/u.test(v)));
}

/**
 * Suggests the keyword a misspelt word stands for: among the keywords the grammar allows where the
 * word stands (as completion computes them), else among all keywords; none where no keyword may stand.
 */
export class KeywordSuggester {
    protected readonly all: ReadonlySet<string>;
    protected readonly grammar: Grammar;
    protected readonly completionParser: LangiumCompletionParser;

    constructor(services: LangiumCoreServices) {
        this.grammar = services.Grammar;
        this.completionParser = services.parser.CompletionParser;
        this.all = wordKeywords(this.grammar);
    }

    suggest(text: string, offset: number, word: string): string[] {
        const valid = this.validAt(text, offset);
        // Where only a number, a name or a string may come, no keyword is what the writer meant.
        if (valid.size === 0) return [];
        const close = closest(word, valid);
        return close.length > 0 ? close : closest(word, this.all);
    }

    /** The word keywords that may come at `offset` after the text before it. */
    validAt(text: string, offset: number): Set<string> {
        const parsed = this.completionParser.parse(text.substring(0, offset));
        const features = parsed.tokenIndex === 0
            ? findFirstFeatures(GrammarUtils.getEntryRule(this.grammar)!.definition).map(path => path[path.length - 1])
            : findNextFeatures([parsed.elementStack.map(feature => ({ feature }))], parsed.tokens.slice(parsed.tokenIndex));
        return new Set(features.map(f => f.feature).filter(GrammarAST.isKeyword).map(k => k.value).filter(v => /^\p{L}/u.test(v)));
    }
}

export class PersemonParserErrorMessageProvider implements IParserErrorMessageProvider {
    private nameKeywords?: ReadonlySet<string>;

    constructor(protected readonly services: LangiumCoreServices) {}

    buildMismatchTokenMessage({ expected, actual }: { expected: TokenType; actual: IToken }): string {
        // Only the top level ends with the file; what may come there instead is an experiment or an import.
        if (expected.name === 'EOF') return this.buildNotAllInputParsedMessage({ firstRedundant: actual });
        return `expected ${this.describe([expected])} but found ${found(actual)}`;
    }

    buildNotAllInputParsedMessage({ firstRedundant }: { firstRedundant: IToken }): string {
        return `expected 'experiment' or 'import' but found ${found(firstRedundant)}`;
    }

    buildNoViableAltMessage({ expectedPathsPerAlt, actual }: { expectedPathsPerAlt: TokenType[][][]; actual: IToken[] }): string {
        const expected = expectedPathsPerAlt.flat().map(path => path[0]);
        // `dataset people:`: a word of the language where a name goes.
        const keyword = expected.some(t => t?.name === 'ID') && actual[0]?.tokenType?.name === actual[0]?.image && /^\p{L}/u.test(actual[0].image);
        return `expected ${this.describe(expected)} but found ${found(actual[0])}${keyword ? ', a keyword of the language: choose another name' : ''}`;
    }

    buildEarlyExitMessage({ expectedIterationPaths, actual }: { expectedIterationPaths: TokenType[][]; actual: IToken[] }): string {
        return `expected ${this.describe(expectedIterationPaths.map(path => path[0]))} but found ${found(actual[0])}`;
    }

    /** `'a', 'b' or a name`: where a name is expected, the keywords that may serve as names go unlisted. */
    protected describe(tokens: Array<TokenType | undefined>): string {
        let names = [...new Set(tokens.filter((t): t is TokenType => t !== undefined).map(t => t.name))];
        if (names.includes('ID')) {
            this.nameKeywords ??= wordKeywords(this.services.Grammar.rules.find(r => r.name === 'Name')!);
            names = names.filter(n => !this.nameKeywords!.has(n));
        }
        const words = names.map(n => TERMINALS[n] ?? `'${n}'`);
        return words.length <= 1 ? words[0] ?? 'something else' : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
    }
}

function found(token: IToken | undefined): string {
    return !token || token.tokenType?.name === 'EOF' ? TERMINALS.EOF : `'${token.image}'`;
}
