/**
 * Saves the run state as checkpoints/step-NNNNNNN/ and logs a `checkpoint` event. Attached for
 * several periods (every N, at the last step, before a requested stop), it saves a step once.
 */
import type { EventSink } from '../event-sink.js';
import type { RunState } from '../run-state.js';

export class Checkpointer {
    private saved = -1;

    constructor(private readonly state: RunState, private readonly checkpointsDir: string, private readonly sink: EventSink) {}

    save(): void {
        const { step } = this.state;
        if (step === this.saved) return;
        const ref = this.state.save(this.checkpointsDir);
        this.saved = step;
        this.sink.emit({ type: 'checkpoint', step, path: ref.path });
    }
}
