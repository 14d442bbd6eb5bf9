/**
 * The words and icon a sweep is shown with in the Runs view, free of the vscode API so they are
 * unit-tested: its name and start time, its progress, and each point's state.
 */
import * as path from 'node:path';
import type { Run } from '../runner/registry.js';
import { describeProgress, pointState, sweepProgress, sweepState, type PointState, type SweepProgress } from './progress.js';
import { pointRunDir, type SweepPointRecord, type SweepRecord } from './sweep-file.js';

export interface PointView {
    record: SweepPointRecord;
    state: PointState;
    /** The point's run, once its run directory has an events.jsonl. */
    run?: Run;
}

export interface SweepDescription {
    label: string;
    description: string;
    tooltip: string;
    icon: { id: string; color?: string };
    /** Drives the context menu: `sweep.<state>`. */
    contextValue: string;
    progress: SweepProgress;
    points: PointView[];
}

const ICONS: Record<ReturnType<typeof sweepState>, { id: string; color?: string }> = {
    running: { id: 'sync~spin', color: 'charts.blue' },
    done: { id: 'pass-filled', color: 'testing.iconPassed' },
    failed: { id: 'error', color: 'testing.iconFailed' },
    incomplete: { id: 'debug-pause', color: 'charts.yellow' }
};

/** `run(dir)`: the registry's run of a point's directory, if it knows one. */
export function describeSweep(record: SweepRecord, run: (dir: string) => Run | undefined): SweepDescription {
    const points = record.points.map(p => {
        const r = run(pointRunDir(record.root, p.name));
        return { record: p, state: pointState(p, r?.state), ...(r ? { run: r } : {}) };
    });
    const progress = sweepProgress(points.map(p => p.state));
    const state = sweepState(progress);
    const failures = points.filter(p => p.state === 'failed')
        .map(p => `  ${p.record.name}: ${p.run?.summary.end?.message ?? p.record.error ?? 'failed'}`);
    return {
        label: path.basename(record.root),
        description: describeProgress(progress),
        tooltip: [`Sweep ${record.sweep}: ${describeProgress(progress)}`, record.root, ...(failures.length > 0 ? ['Failed:', ...failures] : [])].join('\n'),
        icon: ICONS[state],
        contextValue: `sweep.${state}`,
        progress,
        points
    };
}
