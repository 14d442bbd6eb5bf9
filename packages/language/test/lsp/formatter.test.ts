import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectFormatting } from 'langium/test';
import { createServices, examplesDir } from '../helpers.js';

const services = createServices();
const format = expectFormatting(services);

describe('formatting', () => {
    it('lays out a messy document: indentation, a setting a line, single spaces, lists, blank lines', async () => {
        await format({
            before: `import   "paper.persemon"
import "more.persemon"
experiment   A   extends Paper{seed 7 backend   auto
// the datasets


  dataset x :personality from synthetic{people 10   clips 3
  frames 4}
     sampling {segments 10 emotion frames 100}
  loss { λ1 1    margin 0.05}
  evaluate every 10{
personality on x . test , x.train
metrics [ mse,accuracy ]
     fusion pam 6 ram 1}
  eam {   }
  schedule step { milestones [1,2] } }



// the next one
experiment B extends A { dataset y: emotion from affwild "y" { validation 10 : 1 } }
`,
            after: `import "paper.persemon"
import "more.persemon"

experiment A extends Paper {
  seed 7
  backend auto
  // the datasets

  dataset x: personality from synthetic {
    people 10  clips 3
    frames 4
  }
  sampling { segments 10  emotion frames 100 }
  loss { λ1 1  margin 0.05 }
  evaluate every 10 {
    personality on x.test, x.train
    metrics [mse, accuracy]
    fusion pam 6 ram 1
  }
  eam { }
  schedule step { milestones [1, 2] }
}

// the next one
experiment B extends A {
  dataset y: emotion from affwild "y" { validation 10:1 }
}
`,
            // The language indents by two whatever the editor's tab size.
            options: { tabSize: 4, insertSpaces: false },
            disposeAfterCheck: true
        });
    });

    it('leaves the examples as they are written', async () => {
        for (const example of ['quickstart.persemon', 'paper.persemon', 'ablations.persemon']) {
            const text = fs.readFileSync(path.join(examplesDir, example), 'utf8');
            await format({ before: text, after: text, disposeAfterCheck: true });
        }
    });

    it('leaves a document with syntax errors alone', async () => {
        const broken = 'experiment A {\n      seed\n  backend   auto\n}\n';
        await format({ before: broken, after: broken, disposeAfterCheck: true });
    });
});
