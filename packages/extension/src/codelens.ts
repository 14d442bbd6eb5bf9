/**
 * "Run", "Evaluate", "Compile to JobSpec" above each experiment and "Run sweep (N runs)" above
 * each sweep; commands resolved lazily.
 */
import * as vscode from 'vscode';
import { findExperiments } from './experiments.js';
import { findSweeps } from './sweep/sweep-list.js';

const ACTIONS = [
    { title: '$(play) Run', command: 'persemon.runExperiment' },
    { title: '$(checklist) Evaluate', command: 'persemon.evaluateRun' },
    { title: '$(json) Compile to JobSpec', command: 'persemon.showJobSpec' }
] as const;

class ExperimentLens extends vscode.CodeLens {
    constructor(range: vscode.Range, readonly uri: vscode.Uri, readonly experiment: string, readonly action: (typeof ACTIONS)[number]) {
        super(range);
    }
}

class SweepLens extends vscode.CodeLens {
    constructor(range: vscode.Range, readonly uri: vscode.Uri, readonly sweep: string, readonly runs: number | undefined) {
        super(range);
    }
}

type Lens = ExperimentLens | SweepLens;

export class ExperimentCodeLensProvider implements vscode.CodeLensProvider<Lens> {
    provideCodeLenses(document: vscode.TextDocument): Lens[] {
        const text = document.getText();
        const experiments = findExperiments(text).flatMap(decl => {
            const range = new vscode.Range(decl.line, decl.character, decl.line, decl.character + 'experiment'.length);
            return ACTIONS.map(action => new ExperimentLens(range, document.uri, decl.name, action));
        });
        const sweeps = findSweeps(text).map(decl =>
            new SweepLens(new vscode.Range(decl.line, decl.character, decl.line, decl.character + 'sweep'.length), document.uri, decl.name, decl.runs));
        return [...experiments, ...sweeps];
    }

    resolveCodeLens(lens: Lens): Lens {
        if (lens instanceof SweepLens) {
            const count = lens.runs === undefined ? '' : ` (${lens.runs} run${lens.runs === 1 ? '' : 's'})`;
            lens.command = { title: `$(run-all) Run sweep${count}`, command: 'persemon.runSweep', arguments: [lens.uri, lens.sweep] };
        } else {
            lens.command = { title: lens.action.title, command: lens.action.command, arguments: [lens.uri, lens.experiment] };
        }
        return lens;
    }
}
