import * as assert from 'node:assert/strict';
import { createServices, diagnose } from './helpers.js';

const services = createServices();

/** A valid synthetic experiment with these lines added (from line 5 on). */
function experiment(...lines: string[]): string {
    return `experiment E {
  dataset personas: personality from synthetic
  dataset moods: emotion from synthetic
  eam { }
${lines.map(l => `  ${l}`).join('\n')}
}
`;
}

describe('validation: values out of range', () => {
    it('accepts the boundaries of every range', async () => {
        assert.deepEqual(await diagnose(services, experiment(
            'seed 0',
            'loss { λ1 0  lambda2 0  margin 0.001 }',
            'sampling { segments 1  emotion frames 1  personality videos 1  microbatch 1 }',
            'optimizer sgd { lr 1e-6  momentum 0  weight decay 0 }',
            'schedule step { iterations 1  warmup 0  gamma 1 }',
            'fem sphereface depth 64 { input 16x32 }',
            'evaluate every 1 { fusion pam 0 ram 1 }'
        )), []);
    });

    it('reports negative λ, a margin <= 0 and K < 1 on the value', async () => {
        assert.deepEqual(await diagnose(services, experiment(
            'loss { λ1 -0.5  lambda3 -1  margin 0 }',
            'sampling { segments 0 }'
        )), [
            "5:13 '-0.5' error out-of-range: λ1 must be at least 0, not -0.5",
            "5:27 '-1' error out-of-range: lambda3 must be at least 0, not -1",
            "5:38 '0' error out-of-range: margin must be greater than 0, not 0",
            "6:23 '0' error out-of-range: segments must be at least 1, not 0"
        ]);
    });

    it('wants whole numbers where a count is needed', async () => {
        assert.deepEqual(await diagnose(services, experiment(
            'seed 1.5',
            'sampling { segments 2.5  emotion frames 10.1  personality videos 0.5 }',
            'ram { hidden 12.5 }',
            'checkpoint every 10.5',
            'schedule step { iterations 100.5  milestones [10, 20.5] }'
        )), [
            "5:8 '1.5' error not-whole: seed must be a whole number, not 1.5",
            "6:23 '2.5' error not-whole: segments must be a whole number, not 2.5",
            "6:43 '10.1' error not-whole: emotion frames must be a whole number, not 10.1",
            "6:68 '0.5' error not-whole: personality videos must be a whole number, not 0.5",
            "7:16 '12.5' error not-whole: hidden must be a whole number, not 12.5",
            "8:20 '10.5' error not-whole: checkpoint every must be a whole number, not 10.5",
            "9:30 '100.5' error not-whole: iterations must be a whole number, not 100.5",
            "9:53 '20.5' error not-whole: a milestone must be a whole number, not 20.5"
        ]);
    });

    it('bounds the optimiser: lr > 0, momentum in [0, 1)', async () => {
        assert.deepEqual(await diagnose(services, experiment(
            'optimizer sgd { lr 0  momentum 1  weight decay -0.1 }'
        )), [
            "5:22 '0' error out-of-range: lr must be greater than 0, not 0",
            "5:34 '1' error out-of-range: momentum must be at least 0 and less than 1, not 1",
            "5:50 '-0.1' error out-of-range: weight decay must be at least 0, not -0.1"
        ]);
        assert.deepEqual(await diagnose(services, experiment('optimizer adam { lr -1e-3  beta1 1  epsilon 0 }')), [
            "5:23 '-1e-3' error out-of-range: lr must be greater than 0, not -1e-3",
            "5:36 '1' error out-of-range: beta1 must be at least 0 and less than 1, not 1",
            "5:47 '0' error out-of-range: epsilon must be greater than 0, not 0"
        ]);
    });

    it('wants an input size that four stride-2 stages divide, and a SphereFace depth', async () => {
        assert.deepEqual(await diagnose(services, experiment('fem sphereface depth 18 { input 100x90 }')), [
            "5:24 '18' error fem-depth: depth must be one of 4, 10, 20, 36, 64 (SphereFace's depths), not 18",
            "5:35 '100x90' error fem-input-size: input 100x90: height 100 and width 90 must be a positive multiple of 16: "
            + 'the face network halves the image in each of its 4 stages'
        ]);
        assert.deepEqual(await diagnose(services, experiment('fem sphereface { input 112x100 }')), [
            "5:26 '112x100' error fem-input-size: input 112x100: width 100 must be a positive multiple of 16: "
            + 'the face network halves the image in each of its 4 stages'
        ]);
    });

    it('bounds the dataset options: validation fraction in (0, 1), shift in [0, 1]', async () => {
        assert.deepEqual(await diagnose(services, `experiment E {
  dataset personas: personality from synthetic { validation 1  shift 1.5  people 0 }
  dataset moods: emotion from synthetic { validation 0:1  shift 0 }
}
`), [
            "2:61 '1' error out-of-range: validation must be between 0 and 1, exclusive, not 1",
            "2:70 '1.5' error out-of-range: shift must be between 0 and 1, not 1.5",
            "2:82 '0' error out-of-range: people must be at least 1, not 0",
            "3:54 '0' error out-of-range: the train part of validation must be greater than 0, not 0"
        ]);
    });

    it('refuses fusion weights that are negative or both zero', async () => {
        assert.deepEqual(await diagnose(services, experiment('evaluate { fusion pam -1 ram 1 }')), [
            "5:25 '-1' error out-of-range: the pam weight must be at least 0, not -1"
        ]);
        assert.deepEqual(await diagnose(services, experiment('evaluate { fusion pam 0 ram 0 }')), [
            "5:14 'fusion pam 0 ram 0' error fusion-weights: fusion weights are both 0: give pam or ram a positive weight"
        ]);
    });

    it('warns that hidden sizes only an lstm consensus', async () => {
        assert.deepEqual(await diagnose(services, experiment('pam { consensus average hidden 64 }', 'ram { consensus lstm hidden 64 }')), [
            "5:27 'hidden' warning option-not-applicable: hidden sizes an lstm consensus; average ignores it"
        ]);
    });
});
