import * as assert from 'node:assert/strict';
import { expectCompletion } from 'langium/test';
import { createServices } from '../helpers.js';

const services = createServices();
const complete = expectCompletion(services);

const PAPER = `experiment Paper {
  dataset selfies: personality from synthetic
  dataset moods: emotion from synthetic
}
`;

/** Completion at `<|>` in `text` offers exactly these labels, in this order. */
async function offers(text: string, expectedItems: string[]): Promise<void> {
    await complete({ text, index: 0, expectedItems, disposeAfterCheck: true });
}

describe('completion', () => {
    it('offers the settings of an experiment, and the top-level keywords', async () => {
        await offers('experiment A {\n  <|>\n}\n', [
            'seed', 'backend', 'dataset', 'fem', 'pam', 'eam', 'ram', 'coherence', 'sampling', 'loss',
            'optimizer', 'optimiser', 'schedule', 'evaluate', 'checkpoint', 'output'
        ]);
        await offers('<|>', ['import', 'experiment', 'sweep']);
    });

    it('offers the datasets in scope after on, of the kind evaluated', async () => {
        await offers(`${PAPER}experiment Child extends Paper {\n  dataset extra: personality from synthetic\n  evaluate { personality on <|> }\n}\n`, ['extra', 'selfies']);
        await offers(`${PAPER}experiment Child extends Paper {\n  evaluate { emotion on <|> }\n}\n`, ['moods']);
    });

    it('offers the splits of the dataset after dataset.', async () => {
        await offers(`${PAPER}experiment Child extends Paper {\n  evaluate { personality on selfies.<|> }\n}\n`, ['train', 'validation', 'test']);
        await offers(`experiment A {\n  dataset w: emotion from affwild "w" { splits [train, dev] }\n  evaluate { emotion on w.<|> }\n}\n`,
            ['train', 'validation', 'dev']);
    });

    it('offers the experiments in scope after extends, not the one being written', async () => {
        await offers(`${PAPER}experiment Other { }\nexperiment Child extends <|>`, ['Paper', 'Other']);
    });

    it('offers metric names and enum values', async () => {
        await offers(`${PAPER}experiment A {\n  evaluate { metrics [mse, <|>] }\n}\n`, ['mse', 'accuracy', 'r2', 'pcc', 'ccc']);
        await offers(`${PAPER}experiment A {\n  evaluate { fusion <|> }\n}\n`, ['pam', 'search']);
        await offers('experiment A {\n  backend <|>\n}\n', ['auto', 'gpu', 'node', 'wasm', 'cpu']);
        await offers('experiment A {\n  dataset d: <|>\n}\n', ['personality', 'emotion']);
        await offers('experiment A {\n  dataset d: emotion from <|>\n}\n', ['chalearn', 'affwild', 'affwild2', 'folder', 'synthetic']);
        await offers('experiment A {\n  dataset d: emotion from affwild "d" { faces { detect <|> } }\n}\n', ['ssd', 'tiny']);
        await offers('experiment A {\n  optimizer <|>\n}\n', ['sgd', 'adam']);
        await offers('experiment A {\n  schedule <|>\n}\n', ['step', 'cosine', 'constant']);
        await offers('experiment A {\n  ram { consensus <|> }\n}\n', ['average', 'max', 'lstm']);
    });

    it('offers the loss weights in a loss block, in the spelling being typed', async () => {
        await complete({
            text: 'experiment A {\n  loss { λ1 1  <|> }\n}\n',
            index: 0,
            assert: list => assert.deepEqual(list.items.map(i => `${i.label} (${i.detail})`), [
                'λ1 (personality (PAM) loss weight (paper: 1))',
                'λ2 (emotion (EAM) loss weight (paper: 1))',
                'λ3 (discriminator loss weight (paper: 0.1))',
                'λ4 (adversarial loss weight (paper: 0.1))',
                'λ5 (RAM loss weight (paper: 0.1))',
                'margin (Keyword)'
            ]),
            disposeAfterCheck: true
        });
        await offers('experiment A {\n  loss { lam<|> }\n}\n', ['lambda1', 'lambda2', 'lambda3', 'lambda4', 'lambda5']);
    });

    it('offers no keywords where a name is written', async () => {
        await offers('experiment A {\n  dataset <|>\n}\n', []);
    });
});
