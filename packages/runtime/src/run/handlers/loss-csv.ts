/**
 * Appends the iteration's loss terms to a CSV file (`step,total,per,emo,d,adv,ram`), writing the
 * header when the file is new. Attach it with the period wanted:
 *   trainer.on('iterationCompleted', lossCsv(file), { every: 100 });
 */
import * as fs from 'node:fs';
import type { Handler } from '../engine.js';
import type { TrainOutput } from '../trainer.js';

const COLUMNS = ['total', 'per', 'emo', 'd', 'adv', 'ram'] as const;

export function lossCsv(file: string): Handler<TrainOutput> {
    return ({ state: { iteration, output } }) => {
        if (!output) return;
        if (!fs.existsSync(file)) fs.writeFileSync(file, ['step', ...COLUMNS].join(',') + '\n');
        fs.appendFileSync(file, [iteration, ...COLUMNS.map(c => output.loss[c])].join(',') + '\n');
    };
}
