import * as assert from 'node:assert/strict';
import { createServices, diagnose, diagnoseCodes } from './helpers.js';

const services = createServices();

describe('validation: optimiser and schedule', () => {
    it('wants milestones strictly increasing, reported on the first out of order', async () => {
        assert.deepEqual(await diagnose(services, 'experiment A {\n  schedule step { milestones [48000, 32000, 40000] }\n}\n'), [
            "2:38 '32000' error milestones-order: milestones must be strictly increasing: 32000 comes after 48000"
        ]);
        assert.deepEqual(await diagnose(services, 'experiment A {\n  schedule step { milestones [100, 100] }\n}\n'), [
            "2:36 '100' error milestones-order: milestones must be strictly increasing: 100 comes after 100"
        ]);
    });

    it('wants milestones and warm-up within the iterations, the default 56000 included', async () => {
        assert.deepEqual(await diagnose(services, `experiment A {
  schedule step { iterations 1000  milestones [500, 1000]  warmup 1000 }
}
experiment B {
  schedule cosine { warmup 60000 }
}
`), [
            "2:53 '1000' error milestone-beyond-iterations: milestone 1000 is not within the 1000 iterations",
            "2:67 '1000' error warmup-too-long: warmup 1000 must be shorter than the 1000 iterations",
            "5:28 '60000' error warmup-too-long: warmup 60000 must be shorter than the 56000 iterations"
        ]);
    });

    it('reports an inherited milestone in the child that shortened the run, on its name', async () => {
        assert.deepEqual(await diagnoseCodes(services, `experiment Paper {
  schedule step { iterations 56000  milestones [32000, 48000] }
}
experiment Short extends Paper {
  schedule step { iterations 40000 }
}
experiment ShortToo extends Short {
  seed 3
}
`, 'milestone-beyond-iterations'), [
            "4:12 'Short' error milestone-beyond-iterations: milestone 48000 (from Paper) is not within the 40000 iterations"
        ]);
    });

    it('warns about options the chosen optimiser or schedule ignores', async () => {
        assert.deepEqual(await diagnose(services, `experiment A {
  optimizer adam { lr 0.001  momentum 0.9 }
  schedule cosine { milestones [10]  gamma 0.5  min lr 0 }
}
experiment B {
  optimizer sgd { beta2 0.99 }
  schedule step { min lr 0.001 }
}
`), [
            "2:30 'momentum 0.9' warning option-not-applicable: momentum applies to sgd; adam ignores it",
            "3:21 'milestones [10]' warning option-not-applicable: milestones apply to a step schedule; cosine ignores them",
            "3:38 'gamma 0.5' warning option-not-applicable: gamma applies to a step schedule; cosine ignores it",
            "6:19 'beta2 0.99' warning option-not-applicable: beta2 applies to adam; sgd ignores it",
            "7:19 'min lr 0.001' warning option-not-applicable: min lr applies to a cosine schedule; step ignores it"
        ]);
    });
});
