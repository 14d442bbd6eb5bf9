/** Ends the run at the first loss term that is NaN or infinite, naming the term and the step. */
import { UserError } from '../../errors.js';
import type { Handler } from '../engine.js';
import type { EventSink } from '../event-sink.js';
import type { TrainOutput } from '../trainer.js';

export function stopOnNan(sink: EventSink, runRoot: string): Handler<TrainOutput> {
    return engine => {
        const { output, iteration: step } = engine.state;
        if (!output || output.nonFinite.length === 0) return;
        const terms = output.nonFinite.map(t => `L_${t}`).join(', ');
        const message = `loss ${terms} is ${output.nonFinite.map(t => output.loss[t]).join(', ')} at step ${step}; stopping`;
        sink.emit({ type: 'error', step, message, where: `loss.${output.nonFinite[0]}` });
        throw new UserError(`${runRoot}: ${message}`);
    };
}
