import * as assert from 'node:assert/strict';
import { createServices, diagnose } from './helpers.js';

const services = createServices();

describe('syntax errors', () => {
    it('suggest the keyword valid there that a misspelt word is closest to', async () => {
        assert.deepEqual(await diagnose(services, `experiment A {
  sampling { segmnts 10  emotion frames 100 }
  sed 7
  backend autoo
  fem sphereface dept 20
  pam { consensus averag }
  dataset p: personality from synthetic
}
`), [
            "2:14 'segmnts' error misspelt-keyword: unexpected 'segmnts': did you mean 'segments'?",
            // `sgd` and `ssd` are as close, but only `seed` may start a setting.
            "3:3 'sed' error misspelt-keyword: unexpected 'sed': did you mean 'seed'?",
            "4:11 'autoo' error misspelt-keyword: unexpected 'autoo': did you mean 'auto'?",
            "5:18 'dept' error misspelt-keyword: unexpected 'dept': did you mean 'depth'?",
            "6:19 'averag' error misspelt-keyword: unexpected 'averag': did you mean 'average'?"
        ]);
        assert.deepEqual(await diagnose(services, 'experment A { }\n'), [
            "1:1 'experment' error misspelt-keyword: unexpected 'experment': did you mean 'experiment'?"
        ]);
        // No sampling option is close: the closest keyword anywhere is suggested.
        assert.deepEqual(await diagnose(services, 'experiment A {\n  sampling { momentun 0.9 }\n}\n'), [
            "2:14 'momentun' error misspelt-keyword: unexpected 'momentun': did you mean 'momentum'?"
        ]);
    });

    it('say what was expected and what was found', async () => {
        assert.deepEqual(await diagnose(services, `experiment A {
  schedule step { iterations }
  evaluate { metrics [mse, f1] }
}
experiment B { 7 }
experiment C {
  seed one
}
`), [
            "2:30 '}' error parsing-error: expected a number but found '}'",
            "3:28 'f1' error parsing-error: expected 'mse', 'accuracy', 'r2', 'pcc' or 'ccc' but found 'f1'",
            "5:16 '7' error parsing-error: expected '}' but found '7'",
            // Only a number may come there: no keyword is suggested.
            "7:8 'one' error parsing-error: expected a number but found 'one'"
        ]);
    });

    it('explain a keyword used as a name', async () => {
        assert.deepEqual(await diagnose(services, 'experiment A {\n  dataset people: personality from synthetic\n}\n'), [
            "2:11 'people' error parsing-error: expected a name but found 'people', a keyword of the language: choose another name"
        ]);
    });

    it('point at the end of a truncated document', async () => {
        assert.deepEqual(await diagnose(services, 'experiment A {\n  seed 1'), [
            "2:9 '' error parsing-error: expected '}' but found the end of the file"
        ]);
    });
});
