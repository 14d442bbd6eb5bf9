import * as assert from 'node:assert/strict';
import { createServices, diagnose } from './helpers.js';

const services = createServices();

describe('validation: experiments and modules', () => {
    it('reports a setting given twice in an experiment on the second', async () => {
        assert.deepEqual(await diagnose(services, `experiment A {
  seed 1
  dataset p: personality from synthetic
  pam { }
  seed 2
  pam { consensus max }
  optimiser sgd
  optimizer sgd
}
`), [
            "5:3 'seed' error duplicate-setting: seed is given twice in this experiment",
            "6:3 'pam' error duplicate-setting: pam is given twice in this experiment",
            "8:3 'optimizer' error duplicate-setting: optimizer is given twice in this experiment"
        ]);
    });

    it('reports an option given twice in a block on the second', async () => {
        assert.deepEqual(await diagnose(services, `experiment A {
  sampling { segments 4  emotion frames 8  segments 5 }
  dataset d: emotion from synthetic { faces { detect ssd  detect tiny }  shift 0.1  shift 0.2 }
}
`), [
            "2:44 'segments' error duplicate-option: segments is given twice in this block",
            "3:59 'detect' error duplicate-option: detect is given twice in this block",
            "3:85 'shift' error duplicate-option: shift is given twice in this block"
        ]);
    });

    it('wants the datasets each module needs', async () => {
        assert.deepEqual(await diagnose(services, `experiment NoPersonality {
  dataset moods: emotion from synthetic
  pam { }
  eam { }
  ram { }
}
experiment NoEmotion {
  dataset personas: personality from synthetic
  eam { }
}
experiment OneKind {
  dataset a: emotion from synthetic
  dataset b: emotion from synthetic
  coherence { }
}
`), [
            "3:3 'pam' error missing-dataset: pam needs a personality dataset, and this experiment has none",
            "5:3 'ram' error missing-dataset: ram needs a personality dataset, and this experiment has none",
            "9:3 'eam' error missing-dataset: eam needs an emotion dataset, and this experiment has none",
            "14:3 'coherence' error coherence-datasets: coherence needs at least two datasets, a personality and an emotion one, "
            + 'to align their features; this experiment has only emotion datasets'
        ]);
    });

    it('wants eam for ram, and reports what a child switched off on its name', async () => {
        assert.deepEqual(await diagnose(services, `experiment Full {
  dataset personas: personality from synthetic
  dataset moods: emotion from synthetic
  pam { }
  eam { }
  ram { }
  coherence { }
}
experiment NoEmotion extends Full {
  eam off
}
experiment NoEmotionData extends Full {
  dataset moods: personality from synthetic
  ram off
}
experiment Alone {
  dataset moods: emotion from synthetic
  ram { }
  coherence { }
}
`), [
            "9:12 'NoEmotion' error ram-without-eam: ram (from Full) needs eam: it reads the arousal and valence that eam predicts",
            "12:12 'NoEmotionData' error missing-dataset: eam (from Full) needs an emotion dataset, and this experiment has none",
            "12:12 'NoEmotionData' error coherence-datasets: coherence (from Full) needs at least two datasets, a personality and an emotion one, "
            + 'to align their features; this experiment has only personality datasets',
            "18:3 'ram' error missing-dataset: ram needs a personality dataset, and this experiment has none",
            "18:3 'ram' error ram-without-eam: ram needs eam: it reads the arousal and valence that eam predicts",
            "19:3 'coherence' error coherence-datasets: coherence needs at least two datasets, a personality and an emotion one, "
            + 'to align their features; this experiment has only moods'
        ]);
    });
});
