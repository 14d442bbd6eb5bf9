import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'langium';
import { createServices, diagnose, tempDir } from './helpers.js';

const services = createServices();

describe('validation: datasets', () => {
    it('warns about a path that does not exist, relative to the document', async () => {
        const dir = tempDir();
        fs.mkdirSync(path.join(dir, 'data/chalearn'), { recursive: true });
        const uri = URI.file(path.join(dir, 'paper.persemon')).toString();
        assert.deepEqual(await diagnose(services, `experiment A {
  dataset chalearn: personality from chalearn "data/chalearn"
  dataset affwild: emotion from affwild "data/aff-wild"
  dataset rendered: emotion from synthetic "data/chalearn"
}
`, uri), [
            `3:41 '"data/aff-wild"' warning dataset-path-not-found: data/aff-wild does not exist (looked for ${path.join(dir, 'data/aff-wild')})`
        ]);
    });

    it('does not look on disk for a document that is not a file', async () => {
        assert.deepEqual(await diagnose(services, 'experiment A {\n  dataset d: emotion from affwild "nowhere"\n}\n', 'untitled:/scratch.persemon'), []);
    });

    it('wants a path for every format but synthetic', async () => {
        assert.deepEqual(await diagnose(services, `experiment A {
  dataset chalearn: personality from chalearn
  dataset rendered: emotion from synthetic
}
`), [
            `2:38 'chalearn' error dataset-path-required: a chalearn dataset needs a path: write it after the format, e.g. from chalearn "data/chalearn"`
        ]);
    });

    it('warns that the synthetic options do not apply to real data', async () => {
        assert.deepEqual(await diagnose(services, `experiment A {
  dataset d: emotion from affwild "x" { people 10  validation 0.1 }
}
`, 'untitled:/scratch.persemon'), [
            "2:41 'people 10' warning option-not-applicable: people applies only to synthetic datasets; affwild ignores it"
        ]);
    });
});
