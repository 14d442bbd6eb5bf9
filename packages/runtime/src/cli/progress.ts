/**
 * Training progress on the terminal: a redrawn bar (step, loss, images/s, time left) when stdout is
 * a terminal, one plain line per logged step otherwise (CI logs, pipes).
 */
import { emotionSummary, personalitySummary } from '../eval/table.js';
import type { RunEvent } from '../run/events.js';
import { stdout, type TextStream } from './output.js';

export class Progress {
    private readonly started = Date.now();
    private startStep = 0;
    private total = 0;
    private lastPlain = 0;

    constructor(private readonly stream: TextStream = stdout, private readonly tty = stream.isTTY) {}

    onEvent(event: RunEvent): void {
        switch (event.type) {
            case 'start':
                this.total = event.iterations;
                this.startStep = event.resumed_from ?? 0;
                this.line(`backend ${event.backend} ${event.backend_version}, ${event.threads} thread(s); `
                    + `${event.parameters.total.toLocaleString('en')} parameters; micro-batch ${event.micro_batch}`
                    + (event.resumed_from !== null ? `; resumed from step ${event.resumed_from}` : ''));
                break;
            case 'train':
                this.train(event.step, event.loss.total, event.images_per_s);
                break;
            case 'eval': {
                const parts: string[] = [];
                if (event.emotion) parts.push(emotionSummary(event.emotion));
                const p = event.personality?.fused ?? event.personality?.pam ?? event.personality?.ram;
                if (p) parts.push(personalitySummary(p));
                this.line(`eval ${event.dataset ? `${event.dataset}.` : ''}${event.split} at step ${event.step}: ${parts.join(', ')}`);
                break;
            }
            case 'checkpoint':
                if (!this.tty) this.line(`checkpoint at step ${event.step}`);
                break;
            case 'data':
                if (event.skipped > 0 || event.faces_not_found > 0) {
                    this.line(`data ${event.dataset}: ${event.read} read, ${event.skipped} skipped, ${event.faces_not_found} without a face`);
                }
                break;
            case 'error':
                this.line(`error at step ${event.step} (${event.where}): ${event.message}`);
                break;
            case 'stopped':
                this.line(`stopped at step ${event.step}: ${event.reason}`);
                break;
            case 'warning':
                this.line(`warning at step ${event.step} (${event.where}): ${event.message}`);
                break;
            case 'done':
                this.line(`done at step ${event.step}; report: ${event.report}`);
                break;
        }
    }

    private train(step: number, loss: number, imagesPerS: number): void {
        const done = step - this.startStep;
        const elapsed = (Date.now() - this.started) / 1000;
        const left = done > 0 ? (elapsed / done) * (this.total - step) : NaN;
        const text = `step ${step}/${this.total}  loss ${loss.toFixed(4)}  ${imagesPerS.toFixed(1)} img/s  ${formatDuration(left)} left`;
        if (this.tty) {
            const width = 24;
            const filled = Math.round((step / Math.max(1, this.total)) * width);
            this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\x1b[K`);
        } else if (step - this.lastPlain >= 10 || step === this.total || step === this.startStep + 1) {
            this.lastPlain = step;
            this.stream.write(text + '\n');
        }
    }

    private line(text: string): void {
        this.stream.write((this.tty ? '\r\x1b[K' : '') + text + '\n');
    }
}

export function formatDuration(seconds: number): string {
    if (!Number.isFinite(seconds)) return '--:--';
    const s = Math.max(0, Math.round(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const pad = (n: number) => String(n).padStart(2, '0');
    return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}
