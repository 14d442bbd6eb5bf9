/**
 * The small PersEmoN the tests train and predict with, as a `.persemon` document: by default the
 * Tiny of the CLI tests, a dozen steps in seconds on the wasm backend. Each option is what a test
 * changes. No imports: the runtime's tests use it too.
 */
export interface TinyOptions {
    /** Training steps; with `evaluate`, also the evaluation period. */
    iterations: number;
    name?: string;
    seed?: number;
    backend?: string;
    /** The synthetic datasets personas (`clips` a person) and moods (one clip a person). */
    people?: number;
    clips?: number;
    frames?: number;
    /** The FEM's input and the synthetic images' size, square. */
    input?: number;
    /** The dataset statements, in place of the synthetic ones. */
    datasets?: string[];
    /** Words added inside the fem block, e.g. `freeze`. */
    fem?: string;
    coherence?: boolean;
    sampling?: string;
    /** null: the paper's optimizer. */
    optimizer?: string | null;
    /** What `evaluate every <iterations>` scores; null: no evaluation. */
    evaluate?: string | null;
    /** The checkpoint period; null: none. */
    checkpoint?: number | null;
}

export function tinyExperiment(o: TinyOptions): string {
    const { people = 10, clips = 2, frames = 8, input = 16 } = o;
    const image = `image ${input}x${input}`;
    const datasets = o.datasets ?? [
        `dataset personas: personality from synthetic { people ${people}  clips ${clips}  frames ${frames}  ${image} }`,
        `dataset moods: emotion from synthetic { people ${people}  clips 1  frames ${frames}  ${image} }`
    ];
    const optimizer = o.optimizer === undefined ? 'sgd { lr 0.01 }' : o.optimizer;
    const evaluate = o.evaluate === undefined ? 'personality on personas.test  emotion on moods.test' : o.evaluate;
    const checkpoint = o.checkpoint === undefined ? 2 : o.checkpoint;
    const lines = [
        `seed ${o.seed ?? 3}`,
        `backend ${o.backend ?? 'wasm'}`,
        ...datasets,
        `fem sphereface depth 4 { input ${input}x${input}${o.fem ? ` ${o.fem}` : ''} }`,
        'pam { }',
        'eam { }',
        'ram { hidden 8 }',
        ...(o.coherence ?? true ? ['coherence { }'] : []),
        `sampling { ${o.sampling ?? 'segments 2  emotion frames 4  personality videos 2'} }`,
        ...(optimizer === null ? [] : [`optimizer ${optimizer}`]),
        `schedule step { iterations ${o.iterations} }`,
        ...(evaluate === null ? [] : [`evaluate every ${o.iterations} { ${evaluate} }`]),
        ...(checkpoint === null ? [] : [`checkpoint every ${checkpoint}`])
    ];
    return `\nexperiment ${o.name ?? 'Tiny'} {\n${lines.map(l => `  ${l}`).join('\n')}\n}`;
}
