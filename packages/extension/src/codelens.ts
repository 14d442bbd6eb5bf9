/** "Run", "Evaluate", "Compile to JobSpec" above each experiment; commands resolved lazily. */
import * as vscode from 'vscode';
import { findExperiments } from './experiments.js';

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

export class ExperimentCodeLensProvider implements vscode.CodeLensProvider<ExperimentLens> {
    provideCodeLenses(document: vscode.TextDocument): ExperimentLens[] {
        return findExperiments(document.getText()).flatMap(decl => {
            const range = new vscode.Range(decl.line, decl.character, decl.line, decl.character + 'experiment'.length);
            return ACTIONS.map(action => new ExperimentLens(range, document.uri, decl.name, action));
        });
    }

    resolveCodeLens(lens: ExperimentLens): ExperimentLens {
        lens.command = { title: lens.action.title, command: lens.action.command, arguments: [lens.uri, lens.experiment] };
        return lens;
    }
}
