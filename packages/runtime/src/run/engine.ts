/**
 * The training engine, in the manner of PyTorch-Ignite's: the engine owns the loop, one call of its
 * `process` function an iteration, and fires events; what else a run does (logging, evaluation,
 * checkpoints, stopping) is a handler attached to an event, with a period, and removable.
 *
 * Events: `started` once before the first iteration; `iterationCompleted` after each iteration;
 * `completed` when the last iteration is done; `terminated` instead when a handler called
 * `terminate()`. A handler's `when` picks the iterations it runs after (`iterationCompleted` only):
 * every N, once at K, before K, or any combination (all must hold). Handlers of one event run in the
 * order they were attached, each awaited before the next; a handler that throws ends the run.
 */

export type EngineEvent = 'started' | 'iterationCompleted' | 'completed' | 'terminated';

/** Which iterations a handler of `iterationCompleted` runs after; all given conditions must hold. */
export interface When {
    /** Iterations that are multiples of N. */
    every?: number;
    /** Iteration K only. */
    once?: number;
    /** Iterations before K. */
    before?: number;
}

export interface EngineState<Output> {
    /** Completed iterations: the one just finished while `iterationCompleted` runs. */
    iteration: number;
    /** The iteration the engine stops after. */
    last: number;
    /** What `process` returned for the latest iteration. */
    output: Output | undefined;
    /** Wall-clock seconds `process` took for the latest iteration. */
    seconds: number;
}

export type Handler<Output> = (engine: Engine<Output>) => void | Promise<void>;

/** Detaches the handler it was returned for. */
export type Remove = () => void;

interface Attached<Output> {
    handler: Handler<Output>;
    when: When;
}

export class Engine<Output> {
    readonly state: EngineState<Output>;
    private readonly handlers = new Map<EngineEvent, Array<Attached<Output>>>();
    private terminating = false;

    /** Runs iterations `from + 1` to `last`: `from` is where a resumed run left off. */
    constructor(private readonly process: (engine: Engine<Output>) => Output | Promise<Output>, { from, last }: { from: number; last: number }) {
        this.state = { iteration: from, last, output: undefined, seconds: 0 };
    }

    on(event: EngineEvent, handler: Handler<Output>, when: When = {}): Remove {
        const list = this.handlers.get(event) ?? [];
        const attached = { handler, when };
        list.push(attached);
        this.handlers.set(event, list);
        return () => {
            const i = list.indexOf(attached);
            if (i >= 0) list.splice(i, 1);
        };
    }

    /** Ends the run after the handlers of the current iteration; `terminated` fires instead of `completed`. */
    terminate(): void {
        this.terminating = true;
    }

    async run(): Promise<'completed' | 'terminated'> {
        await this.fire('started');
        while (this.state.iteration < this.state.last && !this.terminating) {
            const started = performance.now();
            this.state.output = await this.process(this);
            this.state.iteration++;
            this.state.seconds = (performance.now() - started) / 1000;
            await this.fire('iterationCompleted');
        }
        const end = this.terminating ? 'terminated' : 'completed';
        await this.fire(end);
        return end;
    }

    private async fire(event: EngineEvent): Promise<void> {
        // A copy: a handler may remove itself or others while the event is being handled.
        for (const { handler, when } of [...this.handlers.get(event) ?? []]) {
            if (event !== 'iterationCompleted' || this.matches(when)) await handler(this);
        }
    }

    private matches({ every, once, before }: When): boolean {
        const i = this.state.iteration;
        return (every === undefined || i % every === 0) && (once === undefined || i === once) && (before === undefined || i < before);
    }
}
