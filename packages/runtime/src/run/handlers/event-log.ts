/** The `train` event of each iteration: its learning rate, speed and loss terms. */
import type { Handler } from '../engine.js';
import type { EventSink } from '../event-sink.js';
import type { TrainOutput } from '../trainer.js';

export function logTrain(sink: EventSink): Handler<TrainOutput> {
    return ({ state: { iteration, output, seconds } }) => {
        if (!output) return;
        sink.emit({ type: 'train', step: iteration, lr: output.lr, images_per_s: output.images / seconds, loss: output.loss });
    };
}
