/**
 * analysis.json, the index `persemon analyze` writes last into the analysis folder: the runs and
 * checkpoints analysed and each figure's files (names relative to that folder). Checked for what
 * the analysis view shows; errors name the file and the field.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseJsonFile } from '../json-file.js';

export interface AnalysisFigure {
    id: string;
    title: string;
    /** Absolute paths. */
    svg: string;
    json: string;
    png?: string;
}

export interface Analysis {
    folder: string;
    runs: Array<{ run: string; experiment: string; step: number; checkpoint: string }>;
    figures: AnalysisFigure[];
}

export const ANALYSIS_FILE = 'analysis.json';

export function parseAnalysisIndex(text: string, folder: string): Analysis {
    const file = path.join(folder, ANALYSIS_FILE);
    const data = parseJsonFile(text, file);
    const record = data as { version?: unknown; runs?: unknown; figures?: unknown };
    if (typeof data !== 'object' || data === null || record.version !== 1) throw new Error(`${file}: version: must be 1 (an analysis index this editor reads)`);
    if (!Array.isArray(record.figures)) throw new Error(`${file}: figures: must list the figures`);
    const inside = (name: unknown, field: string): string => {
        if (typeof name !== 'string' || name === '' || path.isAbsolute(name) || name.split(/[\\/]/).includes('..')) {
            throw new Error(`${file}: ${field}: must be a file name inside the analysis folder`);
        }
        return path.join(folder, name);
    };
    const figures = record.figures.map((f: unknown, i: number): AnalysisFigure => {
        const fig = f as Record<string, unknown>;
        if (typeof fig?.id !== 'string') throw new Error(`${file}: figures[${i}].id: must name the figure`);
        return {
            id: fig.id, title: typeof fig.title === 'string' ? fig.title : fig.id,
            svg: inside(fig.svg, `figures[${i}].svg`), json: inside(fig.json, `figures[${i}].json`),
            ...(fig.png !== undefined ? { png: inside(fig.png, `figures[${i}].png`) } : {})
        };
    });
    const runs = Array.isArray(record.runs) ? record.runs as Analysis['runs'] : [];
    return { folder, runs, figures };
}

export function readAnalysis(folder: string): Analysis {
    return parseAnalysisIndex(fs.readFileSync(path.join(folder, ANALYSIS_FILE), 'utf8'), folder);
}
