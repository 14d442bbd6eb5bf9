/**
 * A run directory at an exact path (a sweep's `runs/<point>/`), laid out as `createRunDir` lays out
 * `<experiment>-<time>/`: spec.json and checkpoints/, the rest written by the run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JobSpec } from '@persemon/language';
import { asUserError, UserError } from '../errors.js';
import { makeFolder, openRunDir, writeFileAtomic, type RunDir } from '../run/run-dir.js';

export function createRunDirAt(root: string, spec: JobSpec): RunDir {
    makeFolder(path.dirname(root));
    try {
        fs.mkdirSync(root);
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
            throw new UserError(`${root}: already exists: a run starts in a new folder (continue this one with: persemon resume ${root})`);
        }
        throw asUserError(error, root);
    }
    fs.mkdirSync(path.join(root, 'checkpoints'));
    writeFileAtomic(path.join(root, 'spec.json'), JSON.stringify(spec, null, 2) + '\n');
    return openRunDir(root);
}
