/** Every `persemon` verb, in the order `persemon --help` lists them, and that list. */
import { UsageError } from '../errors.js';
import { analyzeVerb } from './analyze.js';
import { backendsVerb } from './backends.js';
import { checkVerb } from './check.js';
import { compareVerb } from './compare.js';
import { compileVerb } from './compile.js';
import { dataVerb } from './data.js';
import { evalVerb } from './eval.js';
import { lspVerb } from './lsp.js';
import { predictVerb } from './predict.js';
import { resumeVerb } from './resume.js';
import { runVerb } from './run.js';
import { sweepVerb } from './sweep.js';
import { synthVerb } from './synth.js';
import { synopsis, type Verb } from './verb.js';
import { weightsVerb } from './weights.js';

export const VERBS: readonly Verb[] = [
    checkVerb, compileVerb, lspVerb, runVerb, resumeVerb, sweepVerb, evalVerb, compareVerb, analyzeVerb, predictVerb, dataVerb, synthVerb, backendsVerb, weightsVerb,
];

export function findVerb(name: string): Verb {
    const verb = VERBS.find((v) => v.name === name);
    if (!verb) throw new UsageError(`unknown command '${name}'`);
    return verb;
}

/** `persemon --help`: each action's synopsis and summary. */
export function overview(): string {
    const column = 41;
    const lines = ['usage: persemon <command> [arguments]', ''];
    for (const verb of VERBS) {
        for (const action of verb.actions) {
            const left = `  ${synopsis(verb, action)}`;
            const [first, ...more] = action.summary.split('\n');
            if (left.length < column) lines.push(`${left.padEnd(column)}${first}`);
            else lines.push(left, `${' '.repeat(column)}${first}`);
            for (const line of more) lines.push(`${' '.repeat(column)}${line}`);
        }
    }
    lines.push('',
        'exit status: 0 success; 1 a user error (bad document, bad data); 2 bad arguments',
        '`persemon help COMMAND` or `persemon COMMAND --help`: its options, and what its exit codes mean',
        '`persemon --version`: the version and where this persemon runs from');
    return lines.join('\n');
}
