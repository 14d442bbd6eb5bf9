/** The webview side of the VS Code API, typed with the panel's own messages and state. */
export interface WebviewApi<Out, State> {
    postMessage(message: Out): void;
    getState(): State | undefined;
    setState(state: State): void;
}

declare function acquireVsCodeApi<Out, State>(): WebviewApi<Out, State>;

export function vscodeApi<Out, State>(): WebviewApi<Out, State> {
    return acquireVsCodeApi<Out, State>();
}

/** Reads a theme colour VS Code sets as a CSS variable on the page, with a fallback. */
export function cssColor(name: string, fallback: string): string {
    return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
}
