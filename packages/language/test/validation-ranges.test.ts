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
            "2:82 '0' error out-of-range: people must be at least 3, not 0: validation and test each hold out at least one person, and train keeps one",
            "3:54 '0' error out-of-range: the train part of validation must be greater than 0, not 0"
        ]);
    });

    it('accepts the largest values a machine can hold', async () => {
        assert.deepEqual((await diagnose(services, `experiment E {
  seed 4294967295
  dataset many: personality from synthetic { people 100000  clips 1  frames 1  image 16x16 }
  dataset long: emotion from synthetic { people 3  clips 1000  frames 10  image 16x16 }
  dataset wide: emotion from synthetic { people 3  clips 1  frames 1  image 1024x1024 }
  dataset real: emotion from chalearn "data" { faces { align 1024x1024 } }
  fem sphereface { input 1024x1024 }
  pam { consensus lstm hidden 4096 }
  ram { hidden 4096 }
  eam { }
  sampling { emotion frames 10  personality videos 1  segments 1 }
  schedule step { iterations 9999999 }
}
`)).filter(d => !d.includes('dataset-path-not-found')), []);
    });

    it('bounds sizes by what a machine can hold, naming the limit and why', async () => {
        assert.deepEqual(await diagnose(services, `experiment E {
  seed 4294967296
  dataset personas: personality from synthetic { people 1000000000  clips 5000  frames 1e9  image 100000x100000 }
  dataset moods: emotion from synthetic { people 2  faces { align 2048x96 } }
  fem sphereface { input 2048x96 }
  pam { consensus lstm hidden 100000 }
  ram { hidden 5000 }
  eam { }
  schedule step { iterations 1e8 }
}
`), [
            "2:8 '4294967296' error out-of-range: seed must be at most 4294967295, not 4294967296: the random generator takes a 32-bit seed",
            "3:57 '1000000000' error out-of-range: people must be at most 100000, not 1000000000: the synthetic set is held in memory",
            "3:75 '5000' error out-of-range: clips must be at most 1000, not 5000: the synthetic set is held in memory",
            "3:88 '1e9' error out-of-range: frames must be at most 10000, not 1e9: the synthetic set is held in memory",
            "3:99 '100000x100000' error out-of-range: image 100000x100000: height 100000 and width 100000 must be at most 1024: "
            + 'images are held in memory at this size',
            "4:50 '2' error out-of-range: people must be at least 3, not 2: validation and test each hold out at least one person, and train keeps one",
            "4:67 '2048x96' error out-of-range: align 2048x96: height 2048 must be at most 1024: images are held in memory at this size",
            "5:26 '2048x96' error out-of-range: input 2048x96: height 2048 must be at most 1024: images are held in memory at this size",
            "6:31 '100000' error out-of-range: hidden must be at most 4096, not 100000: its weights grow with the square of hidden",
            "7:16 '5000' error out-of-range: hidden must be at most 4096, not 5000: its weights grow with the square of hidden",
            "9:30 '1e8' error out-of-range: iterations must be at most 9999999, not 1e8: checkpoint folders are numbered with seven digits"
        ]);
    });

    it('calls a number beyond float64 (1e400) too large, not a fraction', async () => {
        assert.deepEqual(await diagnose(services, experiment(
            'dataset big: personality from synthetic { people 1e400 }',
            'optimizer sgd { lr 1e400  momentum 1e400 }',
            'loss { λ1 1e400 }',
            'evaluate every 1e400 { fusion pam 1e400 ram 1 }'
        )), [
            "5:52 '1e400' error out-of-range: people must be at most 100000, not 1e400: the synthetic set is held in memory",
            "6:22 '1e400' error out-of-range: lr must be a finite number, not 1e400: it is too large to represent (beyond about 1.8e308)",
            "6:38 '1e400' error out-of-range: momentum must be at least 0 and less than 1, not 1e400",
            "7:13 '1e400' error out-of-range: λ1 must be a finite number, not 1e400: it is too large to represent (beyond about 1.8e308)",
            "8:18 '1e400' error out-of-range: evaluate every must be a finite number, not 1e400: it is too large to represent (beyond about 1.8e308)",
            "8:37 '1e400' error out-of-range: the pam weight must be a finite number, not 1e400: it is too large to represent (beyond about 1.8e308)"
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
