/**
 * Appends the iteration's loss terms to a CSV file (`step,total,per,emo,d,adv,ram`: the terms a train
 * event logs), writing the header when the file is new. Attach it with the period wanted:
 *   trainer.on('iterationCompleted', lossCsv(file), { every: 100 });
 */
import * as fs from 'node:fs';
import { LOGGED_LOSS_TERMS } from '../../events.js';
import type { Handler } from '../engine.js';
import type { TrainOutput } from '../trainer.js';

export function lossCsv(file: string): Handler<TrainOutput> {
    return ({ state: { iteration, output } }) => {
        if (!output) return;
        if (!fs.existsSync(file)) fs.writeFileSync(file, ['step', ...LOGGED_LOSS_TERMS].join(',') + '\n');
        fs.appendFileSync(file, [iteration, ...LOGGED_LOSS_TERMS.map(term => output.loss[term])].join(',') + '\n');
    };
}
