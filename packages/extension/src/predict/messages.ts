/** The predict panel's messages; the prediction itself is what `persemon predict --json` prints. */
import type { FacePrediction, FramePrediction, PersonalityPrediction } from '@persemon/runtime/events';

export type { FacePrediction, PersonalityPrediction };

/** An image's prediction, or a video's (with frames and a video-level personality). */
export interface PredictResult {
    source: string;
    faces: FacePrediction[];
    frames?: FramePrediction[];
    personality?: PersonalityPrediction;
}

export type PredictHostMessage =
    | {
        type: 'show';
        run: string;
        result: PredictResult;
        /** The picked file itself, shown through a blob: URL (localResourceRoots stays media/). */
        media?: { mime: string; bytes: Uint8Array };
    }
    /** Revived after a reload: the prediction came from a process, not a file, and is gone. */
    | { type: 'gone' };

export type PredictPageMessage = { type: 'ready' };
