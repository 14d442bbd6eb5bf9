/**
 * @persemon/runtime: runs a JobSpec on TensorFlow.js and reads what a run leaves behind. Importing
 * this loads TensorFlow.js; a reader of events that must stay light (a webview) imports
 * `@persemon/runtime/events` and `@persemon/runtime/run-name` instead.
 */
export * from './events.js';
export * from './run-name.js';
export { UsageError, UserError, asUserError, isSystemError } from './errors.js';

// Engines.
export {
    BACKEND_REQUESTS, BackendUnavailableError, isBackendRequest, probeBackends, selectBackend,
    type BackendAttempt, type BackendInfo, type BackendName, type BackendOptions, type BackendProbe, type BackendRequest
} from './backend/select.js';

// Running a JobSpec and reading a run directory.
export { runJob, evaluateJob, type JobOptions, type JobResult } from './run/job.js';
export { Engine, type EngineEvent, type EngineState, type Handler, type Remove, type When } from './run/engine.js';
export type { Trainer, TrainOutput } from './run/trainer.js';
export { lossCsv } from './run/handlers/loss-csv.js';
export { continuation, type Continuation, type ResumeOptions } from './run/resume.js';
export { assertTrainable } from './run/preflight.js';
export { createRunDir, openRunDir, readJsonFile, specHash, type RunDir } from './run/run-dir.js';
export { EventLog, readEvents } from './run/events.js';
export { mergeReport, type Report, type SplitReport } from './run/report.js';
export { latestCheckpoint, loadCheckpoint, saveCheckpoint, type CheckpointRef, type LoadedCheckpoint } from './run/checkpoint.js';
export { formatEmotionTable, formatPersonalityTable } from './eval/table.js';

// The model, its weights and training.
export { PersEmonModel, MODULES, type ModuleName, type ParameterCounts } from './model/persemon-model.js';
export { decodeWeights, encodeWeights, readWeightsFile, writeWeightsFile, type NamedArray, type WeightsFile } from './model/weights.js';
export { createOptimizer, type Optimizer } from './train/optimizer.js';
export { autoMicroBatch } from './train/micro-batch.js';
export { trainStep, type TrainBatch } from './train/step.js';
export { Random } from './util/random.js';
export { persemonCacheDir } from './util/cache-dir.js';

// Prediction on pictures and videos.
export { Predictor, isVideoPrediction, mediaKind, type PredictorInfo } from './predict/predictor.js';

// Data: datasets, videos, faces.
export { openDataSource } from './data/open.js';
export type { DataSource, FaceCrop, VideoItem } from './data/source.js';
export { listFiles } from './data/file-source.js';
export { sampleSegments, segmentBounds } from './data/sampling.js';
export { findFfmpeg } from './data/ffmpeg.js';
export { decodeFrames, probeVideo, VideoError, type VideoInfo } from './data/video.js';
export { readImage } from './data/image-file.js';
export { writeSynthetic, type SynthOptions, type SynthResult } from './data/synthetic/write.js';
export { CropCache, FileFacts } from './data/faces/cache.js';
export { FaceCropper, type FaceCropperOptions } from './data/faces/crops.js';
export { loadFaceDetector, type DetectedFace, type DetectorKind, type FaceDetector } from './data/faces/detector.js';
export { searchFaces, type SearchOptions, type SearchResult } from './data/faces/search.js';

// Sweeps and the paper's tables over runs (one implementation for the CLI and the editor).
export {
    buildComparison, EMOTION_COLUMNS, PERSONALITY_METRICS, TABLE4_PREDICTORS, table4Keys,
    type ComparedRun, type CompareOptions, type Comparison, type Configuration, type PairedRow, type Stat
} from './compare/table.js';
export { cell as formatStat, COMPARE_FORMATS, formatComparison, metricName, type CompareFormat } from './compare/format.js';
export { loadComparedRuns, type LoadedRuns } from './compare/load.js';
export { mean, pairedTTest, sampleSd, studentTTwoSided, type PairedTTest } from './compare/stats.js';
