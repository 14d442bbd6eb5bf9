/**
 * `persemon compare`'s tables, built from runs already read (their spec.json and report.json), so
 * the CLI and the editor's compare panel show the same numbers from one implementation:
 * - configurations: runs grouped by the settings that differ between them, seed aside (or by the
 *   settings asked for); only those settings become columns;
 * - Table 4's layout: A and R² per trait for PAM, RAM and PAM+RAM;
 * - Tables 5 and 6's: personality (A, R², and MSE, PCC, CCC where the reports hold them) and emotion
 *   errors, one row per configuration;
 * - each as mean ± sample sd over the runs of a configuration (its seeds), and a two-sided paired
 *   t-test of each configuration against the first, runs paired by the settings left over (the seed).
 * No Node, no TensorFlow.js: plain data in, plain data out.
 */
import { TRAITS } from '@persemon/language/job-spec';
import { mean, pairedTTest, sampleSd, type PairedTTest } from './stats.js';

/** One finished run as compare reads it: spec.json and report.json, untyped (older runs keep older shapes). */
export interface ComparedRun {
    /** How the tables name it: the sweep point's name or the run directory's. */
    name: string;
    dir: string;
    spec: Record<string, unknown>;
    report: { splits?: Record<string, { personality?: unknown; emotion?: unknown }> };
}

export interface CompareOptions {
    /** The settings (dotted paths) that make a configuration; default: all that differ, but the seed. */
    by?: string[];
    /** The split to read first; default `test`, then the report's others in order. */
    split?: string;
}

/** A metric over the runs of a configuration. */
export interface Stat {
    mean: number;
    /** Sample standard deviation; NaN (null in JSON) below two runs. */
    sd: number;
    n: number;
    values: number[];
}

export interface Configuration {
    /** `experiment=Paper, model.coherence.enabled=false`, or `all runs` when nothing differs. */
    label: string;
    /** The value of each column setting. */
    settings: Record<string, unknown>;
    runs: string[];
    /** Per metric key (`personality.fused.A.mean`, `emotion.mse.arousal`): over the runs. */
    metrics: Record<string, Stat>;
    /** The personality predictor of the Tables 5-6 row: fused where there is one, else PAM, else RAM. */
    predictor: Predictor | null;
}

export type Predictor = 'fused' | 'pam' | 'ram';

export interface PairedRow {
    configuration: string;
    against: string;
    /** A metric key, as in Configuration.metrics. */
    metric: string;
    /** The configuration's own key and the reference's: each row's predictor may differ. */
    referenceMetric: string;
    test: PairedTTest;
}

export interface Comparison {
    /** The columns: settings that differ and make configurations. */
    settings: string[];
    /** Settings that pair runs across configurations in the t-test (the seed, by default). */
    pairedBy: string[];
    personalitySplit: string | null;
    emotionSplit: string | null;
    configurations: Configuration[];
    tests: PairedRow[];
    /** Which test `tests` holds. */
    testName: string;
}

/** Table 4's predictors in the paper's order, with their labels. */
export const TABLE4_PREDICTORS: ReadonlyArray<readonly [Predictor, string]> = [['fused', 'PAM+RAM'], ['pam', 'PAM'], ['ram', 'RAM']];
/** The personality metrics of Tables 5-6, each averaged over the five traits. */
export const PERSONALITY_METRICS = ['A', 'R2', 'MSE', 'PCC', 'CCC'] as const;
/** The emotion columns of Tables 5-6: `kind.dimension`. */
export const EMOTION_COLUMNS = ['mse.arousal', 'mse.valence', 'mse.mean', 'pcc.mean', 'ccc.mean'] as const;
/** What a spec.json holds that says where a run came from, not how it ran (overrides are already in the settings they changed). */
const PROVENANCE = new Set(['version', 'source', 'output', 'overrides']);
const TEST_NAME = 'two-sided paired t-test (Student\'s t of the per-seed differences, n − 1 df), each configuration against the first';

export function buildComparison(runs: readonly ComparedRun[], options: CompareOptions = {}): Comparison {
    if (runs.length === 0) throw new Error('compare: no runs');
    const leaves = runs.map(r => flatten(r.spec));
    const differing = [...new Set(leaves.flatMap(l => [...l.keys()]))]
        .filter(p => !PROVENANCE.has(p.split('.')[0]))
        .filter(p => new Set(leaves.map(l => l.get(p))).size > 1);
    const by = options.by ?? differing.filter(p => p !== 'seed');
    const pairedBy = differing.filter(p => !by.includes(p));
    const personalitySplit = pickSplit(runs, 'personality', options.split);
    const emotionSplit = pickSplit(runs, 'emotion', options.split);

    const groups = new Map<string, number[]>();
    leaves.forEach((l, i) => {
        const key = JSON.stringify(by.map(p => l.get(p) ?? null));
        groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    const metricsOf = runs.map(r => metricValues(r, personalitySplit, emotionSplit));
    const grouped = [...groups.values()];
    const configurations: Configuration[] = grouped.map(members => {
        const settings = Object.fromEntries(by.map(p => [p, parse(leaves[members[0]].get(p))]));
        const keys = [...new Set(members.flatMap(i => [...metricsOf[i].keys()]))];
        const metrics: Record<string, Stat> = {};
        for (const key of keys) {
            const values = members.map(i => metricsOf[i].get(key)).filter((v): v is number => v !== undefined);
            metrics[key] = { mean: mean(values), sd: sampleSd(values), n: values.length, values };
        }
        const predictor = TABLE4_PREDICTORS.map(([p]) => p).find(p => `personality.${p}.A.mean` in metrics) ?? null;
        const label = by.length === 0 ? 'all runs' : by.map(p => `${p}=${text(settings[p])}`).join(', ');
        return { label, settings, runs: members.map(i => runs[i].name), metrics, predictor };
    });

    const tests: PairedRow[] = [];
    const reference = configurations[0];
    const pairKey = (run: number) => JSON.stringify(pairedBy.map(p => leaves[run].get(p) ?? null));
    for (let c = 1; c < (pairedBy.length > 0 ? configurations.length : 0); c++) {
        const config = configurations[c];
        for (const [mine, theirs] of testedMetrics(config, reference)) {
            const ref = new Map(grouped[0].map(i => [pairKey(i), metricsOf[i].get(theirs)]));
            const a: number[] = [];
            const b: number[] = [];
            for (const i of grouped[c]) {
                const x = metricsOf[i].get(mine);
                const y = ref.get(pairKey(i));
                if (x !== undefined && y !== undefined) {
                    a.push(x);
                    b.push(y);
                }
            }
            if (a.length > 0) tests.push({ configuration: config.label, against: reference.label, metric: mine, referenceMetric: theirs, test: pairedTTest(a, b) });
        }
    }
    return { settings: by, pairedBy, personalitySplit, emotionSplit, configurations, tests, testName: TEST_NAME };
}

/** The headline metrics a configuration is tested on, with the reference's key for each. */
function testedMetrics(config: Configuration, reference: Configuration): Array<[string, string]> {
    const pairs: Array<[string, string]> = [];
    if (config.predictor && reference.predictor) {
        for (const m of ['A', 'R2']) pairs.push([`personality.${config.predictor}.${m}.mean`, `personality.${reference.predictor}.${m}.mean`]);
    }
    if ('emotion.mse.mean' in config.metrics && 'emotion.mse.mean' in reference.metrics) pairs.push(['emotion.mse.mean', 'emotion.mse.mean']);
    return pairs;
}

/** The split to read `part` from: the one asked for, else `test`, else the first in a report that has it. */
function pickSplit(runs: readonly ComparedRun[], part: 'personality' | 'emotion', wanted?: string): string | null {
    const having = runs.flatMap(r => Object.entries(r.report.splits ?? {}).filter(([, s]) => s[part] !== undefined).map(([name]) => name));
    for (const name of [wanted, 'test', ...having]) if (name !== undefined && having.includes(name)) return name;
    return null;
}

/** Every number of a run's personality and emotion reports, by dotted key (`personality.fused.A.openness`). */
function metricValues(run: ComparedRun, personalitySplit: string | null, emotionSplit: string | null): Map<string, number> {
    const values = new Map<string, number>();
    const split = (name: string | null) => (name === null ? undefined : run.report.splits?.[name]);
    const add = (prefix: string, node: unknown) => {
        if (typeof node === 'number') values.set(prefix, node);
        else if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
            for (const [k, v] of Object.entries(node)) add(`${prefix}.${k}`, v);
        }
    };
    add('personality', split(personalitySplit)?.personality);
    add('emotion', split(emotionSplit)?.emotion);
    return values;
}

/** A spec's leaves by dotted path, each as JSON text (arrays are one leaf: a milestone list is one setting). */
function flatten(spec: Record<string, unknown>): Map<string, string> {
    const leaves = new Map<string, string>();
    const walk = (node: unknown, prefix: string) => {
        if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
            for (const [k, v] of Object.entries(node)) walk(v, prefix === '' ? k : `${prefix}.${k}`);
        } else if (Array.isArray(node) && node.some(item => typeof item === 'object' && item !== null)) {
            node.forEach((item, i) => walk(item, `${prefix}.${i}`));
        } else leaves.set(prefix, JSON.stringify(node));
    };
    walk(spec, '');
    return leaves;
}

function parse(json: string | undefined): unknown {
    return json === undefined ? null : JSON.parse(json);
}

/** A setting's value as a table shows it. */
export function text(value: unknown): string {
    return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Table 4's metric keys for one predictor, Average first, then each trait: A and R² for each. */
export function table4Keys(predictor: Predictor): Array<{ trait: string; metric: 'A' | 'R2'; key: string }> {
    return ['mean', ...TRAITS].flatMap(trait => (['A', 'R2'] as const).map(metric => ({ trait, metric, key: `personality.${predictor}.${metric}.${trait}` })));
}
