/**
 * Ends the run cleanly when asked (SIGINT sets `control.stop`): after the current iteration, with a
 * checkpoint and a `stopped` event. Not at the last step, which ends the run anyway.
 */
import type { Handler } from '../engine.js';
import type { EventSink } from '../event-sink.js';
import type { Checkpointer } from './checkpointer.js';

export function stopOnSignal<Output>(control: { stop: boolean }, checkpointer: Checkpointer, sink: EventSink): Handler<Output> {
    return async engine => {
        // Let signal handlers run: the loop otherwise only awaits already-settled promises.
        await new Promise(resolve => setImmediate(resolve));
        const { iteration: step, last } = engine.state;
        if (!control.stop || step >= last) return;
        checkpointer.save();
        sink.emit({ type: 'stopped', step, reason: 'stop requested' });
        engine.terminate();
    };
}
