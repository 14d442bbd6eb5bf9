import * as assert from 'node:assert/strict';
import { parseHelper } from 'langium/test';
import { createServices, diagnose } from './helpers.js';
import type { PersemonServices } from '../src/persemon-module.js';

const BASE = `experiment Base {
  dataset selfies: personality from synthetic { splits [train, test] }
  dataset moods: emotion from synthetic
  pam { }
  eam { }
}
`;

describe('validation: names and references', () => {
    let services: PersemonServices;
    beforeEach(() => {
        services = createServices();
    });

    it('reports an unknown dataset on its name, suggesting the closest in scope', async () => {
        assert.deepEqual(await diagnose(services, `${BASE}experiment Child extends Base {
  evaluate { personality on selfie.test  emotion on voices.test }
}
`), [
            "8:29 'selfie' error unknown-dataset: unknown dataset 'selfie': did you mean 'selfies'?",
            "8:53 'voices' error unknown-dataset: unknown dataset 'voices'; this experiment has selfies, moods"
        ]);
    });

    it('reports a split the dataset does not have, and a dataset of the other kind', async () => {
        assert.deepEqual(await diagnose(services, `${BASE}experiment Child extends Base {
  evaluate { personality on selfies.tset, selfies.holdout  emotion on selfies.train }
}
`), [
            "8:37 'tset' error unknown-split: selfies has no split 'tset': did you mean 'test'?",
            "8:51 'holdout' error unknown-split: selfies has no split 'holdout'; its splits are train, validation, test",
            "8:71 'selfies' error split-kind: selfies is a personality dataset: emotion is evaluated on emotion datasets"
        ]);
    });

    it('reports an unknown experiment, and one declared in a file that is not imported', async () => {
        await parseHelper(services)('experiment Paper { }\n', { documentUri: 'file:///work/lib/paper.persemon' });
        assert.deepEqual(await diagnose(services, 'experiment A extends Papr { }\nexperiment B extends Paper { }\n', 'file:///work/main.persemon'), [
            "1:22 'Papr' error unknown-experiment: unknown experiment 'Papr'",
            `2:22 'Paper' error unknown-experiment: unknown experiment 'Paper'; lib/paper.persemon declares it: add import "lib/paper.persemon"`
        ]);
        assert.deepEqual(await diagnose(services, 'import "lib/paper.persemon"\nexperiment B extends Paper { }\n', 'file:///work/main.persemon'), []);
        assert.deepEqual(await diagnose(services, 'import "lib/paper.persemon"\nexperiment B extends Papr { }\n', 'file:///work/main.persemon'), [
            "2:22 'Papr' error unknown-experiment: unknown experiment 'Papr': did you mean 'Paper'?"
        ]);
    });

    it('reports a cycle of extends on the extends of every experiment in it', async () => {
        assert.deepEqual(await diagnose(services, `experiment A extends C { }
experiment B extends A { }
experiment C extends B { }
experiment D extends D { }
experiment E extends A { }
`), [
            "1:22 'C' error extends-cycle: 'extends' forms a cycle: A -> C -> B -> A",
            "2:22 'A' error extends-cycle: 'extends' forms a cycle: B -> A -> C -> B",
            "3:22 'B' error extends-cycle: 'extends' forms a cycle: C -> B -> A -> C",
            "4:22 'D' error extends-cycle: 'extends' forms a cycle: D -> D"
        ]);
    });

    it('reports duplicate experiment names (in the file and its imports), datasets and imports', async () => {
        await parseHelper(services)('experiment Paper { }\n', { documentUri: 'file:///work/paper.persemon' });
        assert.deepEqual(await diagnose(services, `import "paper.persemon"
import "./paper.persemon"
import "missing.persemon"
experiment Paper { }
experiment A {
  dataset d: personality from synthetic
  dataset d: emotion from synthetic
}
experiment A { }
`, 'file:///work/main.persemon'), [
            "2:8 '\"./paper.persemon\"' error duplicate-name: ./paper.persemon is imported twice",
            "3:8 '\"missing.persemon\"' error import-not-found: cannot find missing.persemon (looked for /work/missing.persemon)",
            "4:12 'Paper' error duplicate-name: experiment 'Paper' is also declared in paper.persemon, which this file imports",
            "7:11 'd' error duplicate-name: dataset 'd' is declared twice in this experiment",
            "9:12 'A' error duplicate-name: experiment 'A' is declared twice in this file"
        ]);
    });

    it('knows the loss weights by name and suggests the spelling meant', async () => {
        assert.deepEqual(await diagnose(services, `experiment A {
  loss { lamda1 1  lambda_2 1  l3 0.1  Lambda4 0.1  λ5 0.1  λ6 1  margn 0.05  lambda1 1  margin 0.05 }
}
`), [
            "2:10 'lamda1' error unknown-loss-weight: unknown loss weight 'lamda1': did you mean 'lambda1'?",
            "2:20 'lambda_2' error unknown-loss-weight: unknown loss weight 'lambda_2': did you mean 'lambda2'?",
            "2:32 'l3' error unknown-loss-weight: unknown loss weight 'l3': did you mean 'lambda3'?",
            "2:40 'Lambda4' error unknown-loss-weight: unknown loss weight 'Lambda4': did you mean 'lambda4'?",
            "2:61 'λ6' error unknown-loss-weight: unknown loss weight 'λ6'; the loss weights are λ1 to λ5 (or lambda1 to lambda5) and margin",
            "2:67 'margn' error unknown-loss-weight: unknown loss weight 'margn': did you mean 'margin'?"
        ]);
    });

    it('reports a loss weight given twice, under either spelling', async () => {
        assert.deepEqual(await diagnose(services, 'experiment A {\n  loss { λ1 1  lambda1 2  margin 0.1  margin 0.2 }\n}\n'), [
            "2:16 'lambda1' error duplicate-option: lambda1 is given twice in this block (also as λ1)",
            "2:39 'margin' error duplicate-option: margin is given twice in this block"
        ]);
    });
});
