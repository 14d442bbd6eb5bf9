/**
 * The words and icons a run is shown with (Runs view, status bar, quick picks), kept free of the
 * vscode API so they are unit-tested.
 */
import * as path from 'node:path';
import { parseRunDirName } from '@persemon/runtime/run-name';
import type { EvalEvent } from './events.js';
import { headlinePredictor, type RunState, type RunSummary } from './state.js';

export interface RunDescription {
    label: string;
    description: string;
    tooltip: string;
    /** A codicon id and the theme colour id it is drawn in. */
    icon: { id: string; color?: string };
    /** Drives the context menu: `run.<state>`. */
    contextValue: string;
    /** One line per split of the latest evaluation. */
    metrics: MetricLine[];
}

export interface MetricLine {
    label: string;
    description: string;
}

const ICONS: Record<RunState, { id: string; color?: string }> = {
    starting: { id: 'loading~spin' },
    running: { id: 'sync~spin', color: 'charts.blue' },
    done: { id: 'pass', color: 'testing.iconPassed' },
    failed: { id: 'error', color: 'testing.iconFailed' },
    stopped: { id: 'debug-stop' },
    interrupted: { id: 'debug-pause', color: 'charts.yellow' }
};

/** `Quickstart-20240102-030405` (or `...-2`) -> `Quickstart`: the run directory's name when no start event says it. */
export function experimentFromDir(dir: string): string {
    const name = path.basename(dir);
    return parseRunDirName(name)?.experiment ?? name;
}

export function format(value: number | undefined, digits = 3): string {
    if (value === undefined || !Number.isFinite(value)) return '–';
    const magnitude = Math.abs(value);
    if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5)) return value.toExponential(2);
    return value.toFixed(digits);
}

export function progress(summary: RunSummary): string {
    return summary.iterations ? `step ${summary.step}/${summary.iterations}` : `step ${summary.step}`;
}

export function metricLines(evals: Record<string, EvalEvent>): MetricLine[] {
    const lines: MetricLine[] = [];
    for (const [split, evaluation] of Object.entries(evals)) {
        const predictor = headlinePredictor(evaluation);
        const parts: string[] = [];
        if (predictor) {
            // A run logs only the metrics its `evaluate { metrics }` asks for.
            const scores = evaluation.personality![predictor]!;
            if (scores.A) parts.push(`A ${format(scores.A.mean)}`);
            if (scores.R2) parts.push(`R² ${format(scores.R2.mean)}`);
            if (!scores.A && scores.MSE) parts.push(`MSE ${format(scores.MSE.mean)}`);
        }
        if (evaluation.emotion?.mse) {
            const mse = evaluation.emotion.mse;
            parts.push(`MSE arousal ${format(mse.arousal)}`, `valence ${format(mse.valence)}`);
        }
        if (parts.length === 0) continue;
        lines.push({
            label: predictor ? `${split} (${predictor})` : split,
            description: `${parts.join(' · ')} @ ${evaluation.step}`
        });
    }
    return lines;
}

/** The shortest summary of the latest evaluation: fused A and mean emotion MSE. */
function headline(evals: Record<string, EvalEvent>): string {
    const parts: string[] = [];
    for (const evaluation of Object.values(evals)) {
        const predictor = headlinePredictor(evaluation);
        const accuracy = predictor && evaluation.personality![predictor]!.A;
        if (accuracy && !parts.some(p => p.startsWith('A '))) parts.push(`A ${format(accuracy.mean)}`);
        if (evaluation.emotion?.mse && !parts.some(p => p.startsWith('MSE '))) parts.push(`MSE ${format(evaluation.emotion.mse.mean)}`);
    }
    return parts.join(' · ');
}

export function describeRun(dir: string, summary: RunSummary, state: RunState): RunDescription {
    const experiment = summary.experiment ?? experimentFromDir(dir);
    const backend = summary.start?.backend;
    const description = [state, backend, state === 'done' ? headline(summary.evals) : progress(summary)]
        .filter(Boolean).join(' · ');
    const tooltip = [
        `${experiment} — ${state}`,
        dir,
        backend ? `backend ${backend} ${summary.start?.backend_version ?? ''} (${summary.start?.threads ?? '?'} threads)` : undefined,
        progress(summary) + (summary.resumes > 0 ? `, resumed ${summary.resumes}×` : ''),
        summary.loss ? `loss ${format(summary.loss.total)}, lr ${format(summary.lr, 5)}, ${format(summary.imagesPerS, 1)} images/s` : undefined,
        summary.end?.type === 'error' ? `error at ${summary.end.where}: ${summary.end.message}` : undefined,
        summary.end?.type === 'stopped' ? `stopped: ${summary.end.message}` : undefined,
        ...metricLines(summary.evals).map(m => `${m.label}: ${m.description}`)
    ].filter((line): line is string => line !== undefined).join('\n');
    return {
        label: path.basename(dir),
        description,
        tooltip,
        icon: ICONS[state],
        contextValue: `run.${state}`,
        metrics: metricLines(summary.evals)
    };
}

/** Status-bar text for a live run: step, loss and images/s. */
export function statusText(summary: RunSummary): string {
    const parts = [`${summary.experiment ?? 'run'} ${progress(summary)}`];
    if (summary.loss) parts.push(`loss ${format(summary.loss.total)}`);
    if (summary.imagesPerS !== undefined) parts.push(`${format(summary.imagesPerS, 1)} img/s`);
    return parts.join(' · ');
}
