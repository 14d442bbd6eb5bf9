import { expectHover } from 'langium/test';
import { createServices } from '../helpers.js';

const services = createServices();
const hover = expectHover(services);

/** Hovering at `<|>` in the paper's setup (with one marker placed) shows exactly `expected`. */
async function shows(line: string, expected: string | undefined): Promise<void> {
    const text = `experiment Paper {
  seed 7
  dataset chalearn: personality from chalearn "data/chalearn"
  fem sphereface depth 20 { input 112x96 }
  sampling { segments 10 }
  loss { λ1 1.0  lambda3 0.1  margin 0.05 }
  optimizer sgd { lr 0.01  momentum 0.9  weight decay 0.0005 }
  schedule step { iterations 56000  milestones [32000, 48000] }
  evaluate { metrics [mse, ccc]  fusion search step 0.1 }
}
/** Table 6: without representation coherence. */
experiment NoCoherence extends Paper {
  coherence off
  evaluate { personality on chalearn.test }
}
`;
    const marked = line.replace('<|>', '');
    if (!text.includes(marked)) throw new Error(`no line ${marked}`);
    await hover({ text: text.replace(marked, line), index: 0, hover: expected, disposeAfterCheck: true });
}

describe('hover', () => {
    it('gives the default metrics, the null convention and what fusion search does', async () => {
        await shows('  evaluate { metrics [<|>mse, ccc]  fusion search step 0.1 }',
            "**metrics**: Which metrics are computed, logged and shown: mse (mean squared error, personality and emotion), accuracy (A, eq. 14), "
            + "r2 (R²), pcc (Pearson's correlation) and ccc (Lin's concordance correlation, Aff-Wild's measure)."
            + "\n\nPaper: mse, accuracy and r2; pcc and ccc are the field's. Default all five: mse, accuracy, r2, pcc, ccc. "
            + 'PCC is null where the truth or the prediction is constant (0/0); CCC only where both are the same constant.');
        await shows('  evaluate { metrics [mse, ccc]  fusion <|>search step 0.1 }',
            "**fusion**: Late fusion of PAM's and RAM's personality: fixed weights, fused = (pam·PAM + ram·RAM) / (pam + ram), or `search`: "
            + 'the PAM share chosen by a grid search (every `step` from 0 to 1) on a validation split, as the paper chose its weights.'
            + '\n\nPaper: pam 6 ram 1, "obtained by performing a grid search on a separate validation set". `fusion search` repeats that search: '
            + "step 0.05 by default, on the evaluated personality dataset's validation split unless `on` names another, maximising mean accuracy A.");
    });

    it('explains a setting in a sentence and gives the paper value', async () => {
        await shows('  optimizer sgd { l<|>r 0.01  momentum 0.9  weight decay 0.0005 }',
            '**lr**: Base learning rate, before the schedule scales it.\n\nPaper: 0.01.');
        await shows('  sampling { segments <|>10 }',
            '**segments**: K: each personality video is split into K equal segments and one random frame is drawn from each.\n\nPaper: 10.');
        await shows('  fem sphereface depth 20 { <|>input 112x96 }',
            '**input**: Input size of the face network, height x width; both must be multiples of 16, as its four stages each halve the image.'
            + '\n\nPaper: 112x96.');
        await shows('  schedule step { iterations 56000  <|>milestones [32000, 48000] }',
            '**milestones**: Iterations at which a step schedule multiplies the learning rate by gamma, strictly increasing and before the last iteration.'
            + '\n\nPaper: [32000, 48000].');
    });

    it('says when the paper does not state a value', async () => {
        await shows('  optimizer sgd { lr 0.01  mom<|>entum 0.9  weight decay 0.0005 }',
            "**momentum**: SGD momentum: the fraction of the previous update carried into the next.\n\nNot stated in the paper; default 0.9, SphereFace's Caffe setting.");
        await shows('  optimizer sgd { lr 0.01  momentum 0.9  weight de<|>cay 0.0005 }',
            "**weight decay**: L2 weight decay added to every weight's gradient.\n\nNot stated in the paper; default 0.0005, SphereFace's Caffe setting.");
        await shows('  <|>seed 7',
            '**seed**: Seed of every random draw (initialisation, sampling, synthetic data): the same seed gives the same run.\n\nNot stated in the paper; default 1.');
    });

    it('explains the loss weights by name, in either spelling', async () => {
        await shows('  loss { <|>λ1 1.0  lambda3 0.1  margin 0.05 }', "**λ1** (lambda1): Weight of PAM's personality loss in the total loss (eq. 13).\n\nPaper: 1.");
        await shows('  loss { λ1 1.0  lambda<|>3 0.1  margin 0.05 }',
            "**λ3** (lambda3): Weight of the coherence discriminator's loss in the total loss (eq. 13).\n\nPaper: 0.1.");
        await shows('  loss { λ1 1.0  lambda3 0.1  mar<|>gin 0.05 }', '**margin**: m, the margin of the smooth-L1 loss (eq. 3).\n\nPaper: 0.05.');
    });

    it('describes what a dataset, split or experiment name refers to', async () => {
        await shows('  evaluate { personality on cha<|>learn.test }',
            '**dataset chalearn**: personality, chalearn format, at `data/chalearn`.\n\nSplits: train, validation, test.\n\nDeclared in Paper.');
        await shows('  evaluate { personality on chalearn.t<|>est }', '**test**: a split of chalearn (personality); its splits are train, validation, test.');
        await shows('experiment NoCoherence extends Pa<|>per {', '**experiment Paper**');
        await shows('experiment No<|>Coherence extends Paper {', '**experiment NoCoherence** extends Paper\n\nTable 6: without representation coherence.');
    });

    it('has nothing to say on punctuation', async () => {
        await shows('  coherence off\n  evaluate <|>{ personality on chalearn.test }', undefined);
    });
});
