/** Opens a JobSpec dataset as a DataSource, whatever its format. */
import type { DatasetSpec } from '@persemon/language';
import { openAffwildSource } from './affwild.js';
import { openAffwild2Source } from './affwild2.js';
import { openChalearnSource } from './chalearn.js';
import type { OpenOptions } from './file-source.js';
import { openFolderSource } from './folder.js';
import type { DataSource } from './source.js';
import { SyntheticSource } from './synthetic/synthetic-source.js';

export async function openDataSource(spec: DatasetSpec, options: OpenOptions & { seed: number }): Promise<DataSource> {
    switch (spec.format) {
        case 'synthetic':
            // In memory; `persemon synth` writes the same data in a real format for that format's loader.
            return new SyntheticSource(spec, options.seed);
        case 'chalearn':
            return openChalearnSource(spec, options);
        case 'affwild':
            return openAffwildSource(spec, options);
        case 'affwild2':
            return openAffwild2Source(spec, options);
        case 'folder':
            return openFolderSource(spec, options);
    }
}
