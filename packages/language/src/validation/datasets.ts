/**
 * Datasets: where they live on disk, which options apply to their format, and the splits they
 * have (also used by completion and hover).
 */
import { AstUtils, type FileSystemProvider, type LangiumCoreServices, UriUtils, type ValidationAcceptor } from 'langium';
import type * as ast from '../generated/ast.js';
import type { DatasetFormat } from '../job-spec.js';
import { datasetSplits, FORMAT_VALIDATION } from '../compile/defaults.js';
import { validationFraction } from '../compile/compile.js';
import { issue, IssueCodes } from './issue-codes.js';
import { settingName } from './setting-names.js';

/** The splits a dataset has, as the compiler computes them (declared or the format's, plus a held-out validation). */
export function splitsOf(dataset: ast.Dataset): string[] {
    const format = dataset.format as DatasetFormat | undefined;
    const option = <T extends ast.DatasetOption['$type']>(type: T) =>
        dataset.options.filter((o): o is Extract<ast.DatasetOption, { $type: T }> => o.$type === type).at(-1);
    const ratio = option('ValidationRatio');
    // A broken document may lack the format; its declared splits are all there is then.
    if (!format) return [...option('Splits')?.names ?? []];
    const validation = ratio ? validationFraction(ratio) : FORMAT_VALIDATION[format];
    return datasetSplits(format, option('Splits')?.names, validation);
}

const SYNTHETIC_ONLY: ReadonlySet<string> = new Set(['SyntheticPeople', 'SyntheticClips', 'SyntheticFrames', 'SyntheticImage', 'SyntheticShift']);

export class DatasetChecks {
    protected readonly fileSystem: FileSystemProvider;

    constructor(services: LangiumCoreServices) {
        this.fileSystem = services.shared.workspace.FileSystemProvider;
    }

    path = (dataset: ast.Dataset, accept: ValidationAcceptor): void => {
        if (dataset.path === undefined) {
            // The synthetic source renders in memory; every other format reads files.
            if (dataset.format && dataset.format !== 'synthetic') {
                accept('error', `a ${dataset.format} dataset needs a path: write it after the format, e.g. from ${dataset.format} "data/${dataset.name}"`,
                    { node: dataset, property: 'format', ...issue(IssueCodes.DatasetPathRequired) });
            }
            return;
        }
        const document = AstUtils.getDocument(dataset);
        if (document.uri.scheme !== 'file') return;
        const target = UriUtils.resolvePath(UriUtils.dirname(document.uri), dataset.path);
        if (!this.fileSystem.existsSync(target)) {
            accept('warning', `${dataset.path} does not exist (looked for ${target.fsPath})`,
                { node: dataset, property: 'path', ...issue(IssueCodes.DatasetPathNotFound) });
        }
    };

    options = (dataset: ast.Dataset, accept: ValidationAcceptor): void => {
        if (!dataset.format || dataset.format === 'synthetic') return;
        for (const option of dataset.options) {
            if (SYNTHETIC_ONLY.has(option.$type)) {
                accept('warning', `${settingName(option.$type)} applies only to synthetic datasets; ${dataset.format} ignores it`,
                    { node: option, ...issue(IssueCodes.OptionNotApplicable) });
            }
        }
    };
}
