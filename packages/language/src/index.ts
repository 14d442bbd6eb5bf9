export * from './job-spec.js';
export * from './persemon-module.js';
export * from './workspace.js';
export { compileExperiment, selectExperiment, parseSize, CompileError } from './compile/compile.js';
export { assertJobSpec, JobSpecError, jobSchema } from './compile/schema.js';
export { checkJobSpec, type JobSpecProblem } from './compile/check-job-spec.js';
export {
    LIMITS, MEMORY_LIMITS, MIN_SYNTHETIC_PEOPLE, type Limit, aboveLimit, syntheticSetBytes, syntheticSetProblem, batchBytes, batchProblem, formatBytes
} from './compile/limits.js';
export { DEFAULTS, FEM_UNITS, FEM_DEPTHS } from './compile/defaults.js';
export type * as ast from './generated/ast.js';
export { startServer } from './server.js';
export { IssueCodes, type IssueCode } from './validation/issue-codes.js';
export { listExperiments, type ExperimentLocation } from './experiment-list.js';
export {
    absoluteFileSettings, applySettings, describeSettingProblems, parseSetting, parseSettingValue, resolveSettingPath, settingPaths, type Setting, type SettingProblem
} from './compile/sweep-settings.js';
export {
    assertSweepSpec, countSweepPoints, pointSpec, sweepPoints, sweepSpec, SweepSpecError,
    type SlurmSpec, type SweepAxis, type SweepPoint, type SweepSpec
} from './compile/sweep-spec.js';
export { compileSweep, selectSweep, sweepValue, SLURM_KEYS } from './compile/sweep.js';
export { compileSweepFile } from './compile/sweep-file.js';
