/**
 * The document checks that share their rules with checkJobSpec: the memory of a synthetic set and
 * of a batch, and the splits a dataset declares. Called directly, each on the nodes it is
 * registered for, so what they report is seen apart from every other check.
 */
import * as assert from 'node:assert/strict';
import { AstUtils, type AstNode, type DiagnosticInfo, GrammarUtils, type ValidationAcceptor } from 'langium';
import { parseHelper } from 'langium/test';
import * as ast from '../src/generated/ast.js';
import { DatasetSplitChecks } from '../src/validation/dataset-splits.js';
import { EffectiveExperiments } from '../src/validation/effective-experiments.js';
import { MemoryChecks } from '../src/validation/memory.js';
import { createServices } from './helpers.js';

const services = createServices();

/** What `check` reports on each node of `text` that `is` picks, as `line:col 'covered' code: message`. */
async function reported<T extends AstNode>(text: string, is: (node: AstNode) => node is T,
    check: (node: T, accept: ValidationAcceptor) => void): Promise<string[]> {
    const document = await parseHelper<ast.Model>(services)(text);
    assert.deepEqual(document.parseResult.parserErrors, []);
    const found: string[] = [];
    const accept = ((severity: string, message: string, info: DiagnosticInfo<AstNode>) => {
        const { node, property, index } = info as DiagnosticInfo<AstNode> & { property?: string; index?: number };
        const cst = property ? GrammarUtils.findNodeForProperty(node.$cstNode, property, index) : node.$cstNode;
        const start = cst!.range.start;
        found.push(`${start.line + 1}:${start.character + 1} '${cst!.text}' ${severity} ${(info as { code?: string }).code}: ${message}`);
    }) as ValidationAcceptor;
    for (const node of AstUtils.streamAllContents(document.parseResult.value)) {
        if (is(node)) check(node, accept);
    }
    return found;
}

describe('validation: memory and splits, with the rules checkJobSpec applies', () => {
    const memory = new MemoryChecks(new EffectiveExperiments(services));

    it('refuses a synthetic set that would not fit in memory, naming the estimate', async () => {
        // 1000 x 100 x 100 = 10^7 emotion frames: 1000 x 1024 + 10^5 x 1024 + 10^7 x 224 + 258 x 64 x 64 x 4
        // = 2,347,651,072 bytes = 2.19 GiB. A count already out of range is left to ranges.ts.
        assert.deepEqual(await reported(`experiment E {
  dataset big: emotion from synthetic { people 1000  clips 100  frames 100 }
  dataset fits: personality from synthetic { people 100000  clips 1  frames 1 }
  dataset over: emotion from synthetic { people 1000000 }
  dataset real: emotion from affwild "x"
}
`, ast.isDataset, memory.syntheticSet), [
            "2:11 'big' error out-of-range: big: the synthetic set would take about 2.19 GiB of memory: 10,000,000 frames "
            + '(people 1000 x clips 100 x frames 100) at about 224 bytes each, and 258 rendering buffers of 64x64; '
            + 'at most 1 GiB: lower people, clips, frames or image'
        ]);
    });

    it('refuses a batch that would not fit in memory, where the experiment changed it', async () => {
        // Child: (5000 + 10 x 10) images x 224 x 192 x 3 x 4 bytes = 2,632,089,600 bytes = 2.45 GiB.
        // Wide: (5000 + 100 x 100) x 112 x 96 x 12 = 1,935,360,000 bytes = 1.80 GiB.
        assert.deepEqual(await reported(`experiment Base {
  dataset p: personality from synthetic
  dataset m: emotion from synthetic
  sampling { emotion frames 5000 }
}
experiment Child extends Base { fem sphereface { input 224x192 } }
experiment Grandchild extends Child { seed 2 }
experiment Wide extends Base { sampling { personality videos 100  segments 100 } }
experiment EmotionOnly { dataset m: emotion from synthetic  sampling { emotion frames 5000  personality videos 1000 } }
`, ast.isExperiment, memory.batch), [
            "6:56 '224x192' error out-of-range: a batch would take about 2.45 GiB of memory: 5,100 images "
            + '(emotion frames 5000 + personality videos 10 x segments 10) of 224x192 float32 RGB; at most 1 GiB: '
            + 'lower emotion frames, personality videos or segments',
            "8:62 '100' error out-of-range: a batch would take about 1.8 GiB of memory: 15,000 images "
            + '(emotion frames 5000 + personality videos 100 x segments 100) of 112x96 float32 RGB; at most 1 GiB: '
            + 'lower emotion frames, personality videos or segments'
        ]);
    });

    it('wants train among the splits, and of a synthetic dataset only the splits it makes', async () => {
        assert.deepEqual(await reported(`experiment E {
  dataset s: personality from synthetic { splits [train, dev, test] }
  dataset r: emotion from affwild "x" { splits [test] }
  dataset ok: emotion from affwild "x" { splits [train, dev] }
}
`, ast.isSplits, new DatasetSplitChecks().splits), [
            "2:58 'dev' error unknown-split: a synthetic dataset has only the splits train, validation, test, not 'dev'",
            "3:41 'splits [test]' error unknown-split: splits must include train: training reads it (they are test)"
        ]);
    });
});
