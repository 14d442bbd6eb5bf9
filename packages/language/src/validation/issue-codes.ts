/**
 * Every problem the language reports carries one of these codes (in the diagnostic's `code` and
 * `data.code`): quick fixes are keyed by them, `persemon check` prints them, tests assert them.
 */
import { DocumentValidator } from 'langium';

export const IssueCodes = {
    /** A syntax error the parser found (Langium's own code, so its tooling keeps working). */
    SyntaxError: DocumentValidator.ParsingError,
    /** A character no token of the language starts with (Langium's own code). */
    LexingError: DocumentValidator.LexingError,
    /** A syntax error at a word close to a keyword; `data.suggestions` holds the keywords. */
    MisspeltKeyword: 'misspelt-keyword',
    UnknownDataset: 'unknown-dataset',
    UnknownExperiment: 'unknown-experiment',
    UnknownSplit: 'unknown-split',
    UnknownLossWeight: 'unknown-loss-weight',
    ImportNotFound: 'import-not-found',
    /** An import of a folder, a pipe or device, or a file of another language. */
    ImportNotPersemonFile: 'import-not-a-persemon-file',
    ImportUnreadable: 'import-unreadable',
    DuplicateName: 'duplicate-name',
    DuplicateSetting: 'duplicate-setting',
    DuplicateOption: 'duplicate-option',
    ExtendsCycle: 'extends-cycle',
    OutOfRange: 'out-of-range',
    NotWhole: 'not-whole',
    MilestonesOrder: 'milestones-order',
    MilestoneBeyondIterations: 'milestone-beyond-iterations',
    WarmupTooLong: 'warmup-too-long',
    FemInputSize: 'fem-input-size',
    FemDepth: 'fem-depth',
    FusionWeights: 'fusion-weights',
    MissingDataset: 'missing-dataset',
    RamWithoutEam: 'ram-without-eam',
    CoherenceDatasets: 'coherence-datasets',
    SplitKind: 'split-kind',
    DatasetPathNotFound: 'dataset-path-not-found',
    DatasetPathRequired: 'dataset-path-required',
    OptionNotApplicable: 'option-not-applicable',
    /** Stands for the problems past the first thousand of a document; `data.unlisted` counts them. */
    TooManyProblems: 'too-many-problems',
    /** A sweep's problems: an experiment named twice, a path varied twice or unknown, a bad value, zipped lists of unequal length, an empty zip, a bad slurm setting. */
    SweepDuplicateExperiment: 'sweep-duplicate-experiment',
    SweepUnknownPath: 'sweep-unknown-path',
    SweepDuplicatePath: 'sweep-duplicate-path',
    SweepBadValue: 'sweep-bad-value',
    SweepZipLengths: 'sweep-zip-lengths',
    SweepEmptyZip: 'sweep-empty-zip',
    SweepSlurm: 'sweep-slurm'
} as const;

export type IssueCode = (typeof IssueCodes)[keyof typeof IssueCodes];

/** What a diagnostic's `data` holds: its code and, for "did you mean" problems, the replacements. */
export interface IssueData {
    code: IssueCode;
    suggestions?: string[];
}

/** The `code` and `data` of a diagnostic, ready to spread into a Langium DiagnosticInfo. */
export function issue(code: IssueCode, suggestions?: string[]): { code: IssueCode; data: IssueData } {
    return { code, data: suggestions && suggestions.length > 0 ? { code, suggestions } : { code } };
}
