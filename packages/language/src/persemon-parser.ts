/**
 * Langium's parser, with a syntax-tree builder that stays linear in the number of siblings. Langium's
 * builder looks a new node up among its parent's children (`indexOf`) before every token, comment or
 * not, and again to drop an empty node: quadratic in the settings of one experiment (130,000 settings
 * took over a minute to parse). The node looked up is its parent's last child or nearly, so searching
 * from the end finds it at once.
 */
import { type CompositeCstNode, type CstNode, CstNodeBuilder, CstUtils, LeafCstNodeImpl, type LangiumCoreServices, type LangiumParser, prepareLangiumParser } from 'langium';

type Token = Parameters<CstNodeBuilder['addHiddenNodes']>[0][number];

export class LinearCstNodeBuilder extends CstNodeBuilder {
    /** Comments go before the node being built: into the nearest ancestor that has content, just before the branch that leads to it. */
    override addHiddenNodes(tokens: Token[]): void {
        if (tokens.length === 0) return;
        let current: CompositeCstNode = this.current;
        const root = current.root;
        const nodes = tokens.map(token => {
            const leaf = new LeafCstNodeImpl(token.startOffset, token.image.length, CstUtils.tokenToRange(token), token.tokenType, true);
            leaf.root = root;
            return leaf;
        });
        if (current.content.length > 0) {
            insert(current.content, current.content.length, nodes);
            return;
        }
        while (current.container) {
            const index = current.container.content.lastIndexOf(current);
            if (index > 0) {
                insert(current.container.content, index, nodes);
                return;
            }
            current = current.container;
        }
        insert(root.content, 0, nodes);
    }

    override removeNode(node: CstNode): void {
        const siblings = node.container?.content;
        const index = siblings?.lastIndexOf(node) ?? -1;
        if (index >= 0) siblings!.splice(index, 1);
    }
}

/** `items` into `array` at `index`, without spreading them into a call (a long list of comments would overflow the stack). */
function insert<T>(array: T[], index: number, items: T[]): void {
    // With an explicit count: Langium's content arrays pass it on as given.
    const tail = array.splice(index, array.length - index);
    for (const item of items) array.push(item);
    for (const item of tail) array.push(item);
}

export function createPersemonParser(services: LangiumCoreServices): LangiumParser {
    const parser = prepareLangiumParser(services);
    // The builder is a private field of LangiumParser rather than a service, so it is replaced here.
    (parser as unknown as { nodeBuilder: CstNodeBuilder }).nodeBuilder = new LinearCstNodeBuilder();
    parser.finalize();
    return parser;
}
