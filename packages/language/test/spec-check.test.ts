import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkJobSpec, compileFile, type JobSpec } from '../src/index.js';
import { examplesDir, jobSpecProblems } from './helpers.js';

let quickstart: JobSpec;

/** The quickstart's JobSpec changed by `edit`, as a hand-written JobSpec file would be. */
function edited(edit: (spec: JobSpec) => void): JobSpec {
    const spec = structuredClone(quickstart);
    edit(spec);
    return spec;
}


describe('checkJobSpec: what the language checks, on a JobSpec', () => {
    before(async () => {
        quickstart = await compileFile(path.join(examplesDir, 'quickstart.persemon'));
    });

    it('accepts every example experiment', async () => {
        assert.deepEqual(checkJobSpec(quickstart), []);
        assert.deepEqual(checkJobSpec(await compileFile(path.join(examplesDir, 'paper.persemon'))), []);
        for (const experiment of ['EmotionOnly', 'PersonalityOnly', 'NoRelationship', 'ConsensusMax', 'ConsensusLstm', 'NoCoherence']) {
            assert.deepEqual(checkJobSpec(await compileFile(path.join(examplesDir, 'ablations.persemon'), experiment)), [], experiment);
        }
    });

    it('refuses evaluation on an unknown dataset or split, or on a dataset of the other kind', () => {
        assert.deepEqual(jobSpecProblems(edited(s => {
            s.evaluation.personality = [{ dataset: 'persona', split: 'test' }, { dataset: 'faces', split: 'test' }];
            s.evaluation.emotion = [{ dataset: 'moods', split: 'tset' }, { dataset: 'personas', split: 'validation' }];
        })), [
            "evaluation.personality.0.dataset: unknown dataset 'persona': did you mean 'personas'?",
            "evaluation.personality.1.dataset: unknown dataset 'faces'; the datasets are personas, moods",
            "evaluation.emotion.0.split: moods has no split 'tset': did you mean 'test'?",
            'evaluation.emotion.1.dataset: personas is a personality dataset: emotion is evaluated on emotion datasets'
        ]);
    });

    it('refuses a synthetic set whose evaluated split would be empty', () => {
        // people 2: one for train leaves none for validation and test (the source splits by person).
        assert.deepEqual(jobSpecProblems(edited(s => { s.datasets[1].synthetic!.people = 2; })), [
            'datasets.1.synthetic.people: must be at least 3, not 2: validation and test each hold out at least one person, and train keeps one'
        ]);
        assert.deepEqual(jobSpecProblems(edited(s => { s.datasets[1].validation = 0; })), [
            'datasets.1.validation: a synthetic dataset needs a validation fraction above 0: validation and test each hold out that fraction of its people'
        ]);
        assert.deepEqual(jobSpecProblems(edited(s => {
            s.datasets[1].splits = ['train', 'dev'];
            s.evaluation.emotion = [{ dataset: 'moods', split: 'dev' }];
        })), ["datasets.1.splits.1: a synthetic dataset has only the splits train, validation, test, not 'dev'"]);
        assert.deepEqual(jobSpecProblems(edited(s => {
            s.datasets[0].splits = ['test'];
            s.evaluation.personality = [{ dataset: 'personas', split: 'test' }];
        })), ['datasets.0.splits: splits must include train: training reads it (they are test)']);
    });

    it('refuses fusion weights 0 and 0', () => {
        assert.deepEqual(jobSpecProblems(edited(s => { s.evaluation.fusion = { pam: 0, ram: 0 }; })), [
            'evaluation.fusion: fusion weights are both 0: give pam or ram a positive weight'
        ]);
    });

    it('refuses two datasets of the same name, naming both', () => {
        assert.deepEqual(jobSpecProblems(edited(s => {
            s.datasets.push({ ...structuredClone(s.datasets[0]), kind: 'emotion' });
        })), ["datasets.2.name: datasets.0 and datasets.2 are both named 'personas': dataset names must be unique"]);
    });

    it('refuses a dataset on disk without a path', () => {
        assert.deepEqual(jobSpecProblems(edited(s => {
            Object.assign(s.datasets[1], { format: 'affwild', path: null, synthetic: null });
        })), ['datasets.1.path: a affwild dataset needs a path']);
    });

    it('refuses modules without the datasets or the module they read', () => {
        assert.deepEqual(jobSpecProblems(edited(s => { s.model.eam.enabled = false; })), [
            'model.ram.enabled: ram needs eam: it reads the arousal and valence that eam predicts'
        ]);
        assert.deepEqual(jobSpecProblems(edited(s => {
            s.datasets = [s.datasets[0]];
            s.evaluation.emotion = [];
        })), [
            'model.eam.enabled: eam needs an emotion dataset, and this experiment has none',
            'model.coherence.enabled: coherence needs at least two datasets, a personality and an emotion one, to align their features; '
            + 'this experiment has only personas'
        ]);
    });

    it('refuses milestones out of order or beyond the run, a warm-up as long as the run, and an input FEM cannot halve four times', () => {
        assert.deepEqual(jobSpecProblems(edited(s => {
            s.schedule.milestones = [360, 280, 400];
            s.schedule.warmup = 400;
            s.model.fem.input = { height: 100, width: 96 };
            s.datasets.forEach(d => { d.faces.align = { height: 100, width: 96 }; });
        })), [
            'model.fem.input: height 100 must be a positive multiple of 16: the face network halves the image in each of its 4 stages',
            'schedule.milestones.1: milestones must be strictly increasing: 280 comes after 360',
            'schedule.milestones.2: milestone 400 is not within the 400 iterations',
            'schedule.warmup: warmup 400 must be shorter than the 400 iterations'
        ]);
    });

    it('refuses a synthetic set or a batch that would not fit in memory, naming the estimate', () => {
        // 1000 people x 100 clips x 100 frames = 10^7 frames: 1000 x 1024 + 10^5 x 1024 + 10^7 x 144
        // + 258 x 32 x 32 x 4 = 1,544,480,768 bytes = 1.44 GiB.
        assert.deepEqual(jobSpecProblems(edited(s => { Object.assign(s.datasets[0].synthetic!, { people: 1000, clips: 100, frames: 100 }); })), [
            'datasets.0.synthetic: the synthetic set would take about 1.44 GiB of memory: 10,000,000 frames (people 1000 x clips 100 x frames 100) '
            + 'at about 144 bytes each, and 258 rendering buffers of 32x32; at most 1 GiB: lower people, clips, frames or image'
        ]);
        // 400 + 6 x 6 = 436 images of 512 x 512 x 3 float32: 1,371,537,408 bytes = 1.28 GiB.
        assert.deepEqual(jobSpecProblems(edited(s => {
            s.sampling.emotionFrames = 400;
            s.model.fem.input = { height: 512, width: 512 };
        })), [
            'sampling: a batch would take about 1.28 GiB of memory: 436 images (emotion frames 400 + personality videos 6 x segments 6) '
            + 'of 512x512 float32 RGB; at most 1 GiB: lower emotion frames, personality videos or segments'
        ]);
    });

    it('bounds sizes in the schema, naming the limit and why', () => {
        assert.deepEqual(jobSpecProblems(edited(s => {
            Object.assign(s.datasets[0].synthetic!, { people: 1_000_000_000, frames: 1e9, image: { height: 100_000, width: 100_000 } });
            s.schedule.iterations = 1e8;
            s.seed = 2 ** 32;
        })), [
            'seed: must be at most 4294967295, not 4294967296: the random generator takes a 32-bit seed',
            'datasets.0.synthetic.people: must be at most 100000, not 1000000000: the synthetic set is held in memory',
            'datasets.0.synthetic.frames: must be at most 10000, not 1000000000: the synthetic set is held in memory',
            'datasets.0.synthetic.image.height: must be at most 1024, not 100000: images are held in memory at this size',
            'datasets.0.synthetic.image.width: must be at most 1024, not 100000: images are held in memory at this size',
            'schedule.iterations: must be at most 9999999, not 100000000: checkpoint folders are numbered with seven digits'
        ]);
    });

    it('names a JSON number too large for a float (1e400) once, as too large', () => {
        const text = JSON.stringify(quickstart).replace('"lr":0.01', '"lr":1e400').replace('"people":400', '"people":1e400');
        assert.notEqual(text, JSON.stringify(quickstart));
        assert.deepEqual(jobSpecProblems(JSON.parse(text)), [
            'datasets.0.synthetic.people: must be a finite number: this one is too large to represent (beyond about 1.8e308)',
            'optimizer.lr: must be a finite number: this one is too large to represent (beyond about 1.8e308)'
        ]);
    });
});
