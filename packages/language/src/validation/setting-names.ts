/** How each setting and option is written, for messages and hover ("emotion frames", not EmotionFrames). */
import type { PersemonAstType } from '../generated/ast.js';

export const SETTING_NAMES: Partial<Record<keyof PersemonAstType, string>> = {
    Import: 'import', Experiment: 'experiment',
    Seed: 'seed', Backend: 'backend', Dataset: 'dataset', Fem: 'fem', Pam: 'pam', Eam: 'eam', Ram: 'ram',
    Coherence: 'coherence', Sampling: 'sampling', Loss: 'loss', Optimizer: 'optimizer', Schedule: 'schedule',
    Evaluate: 'evaluate', Checkpoint: 'checkpoint', Output: 'output',
    Splits: 'splits', Faces: 'faces', ValidationRatio: 'validation', SyntheticPeople: 'people',
    SyntheticClips: 'clips', SyntheticFrames: 'frames', SyntheticImage: 'image', SyntheticShift: 'shift',
    FaceDetect: 'detect', FaceAlign: 'align', FaceConfidence: 'confidence',
    FemInput: 'input', FemInit: 'init', FemFreeze: 'freeze',
    ConsensusOption: 'consensus', RamHidden: 'hidden',
    Segments: 'segments', EmotionFrames: 'emotion frames', PersonalityVideos: 'personality videos', MicroBatch: 'microbatch',
    LossWeight: 'loss weight',
    LearningRate: 'lr', Momentum: 'momentum', WeightDecay: 'weight decay', Beta1: 'beta1', Beta2: 'beta2', Epsilon: 'epsilon',
    Iterations: 'iterations', Milestones: 'milestones', Gamma: 'gamma', Warmup: 'warmup', MinLr: 'min lr',
    PersonalityEval: 'personality on', EmotionEval: 'emotion on', Metrics: 'metrics', Fusion: 'fusion'
};

export function settingName(type: string): string {
    return SETTING_NAMES[type as keyof PersemonAstType] ?? type;
}
