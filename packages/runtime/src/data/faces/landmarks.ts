/**
 * The five points SphereFace aligns on, from the 68-point (iBUG 300-W) landmarks that face-api
 * finds: the two eye centres, the nose tip and the two mouth corners.
 */

export interface Point {
    x: number;
    y: number;
}

/**
 * Left eye, right eye, nose tip, left mouth corner, right mouth corner, where left and right are
 * as seen in the image (the template's order: its first eye has the smaller x).
 */
export type FivePoints = [Point, Point, Point, Point, Point];

// 0-based indices into the 68 points; 36-41 is the eye on the image's left.
const IMAGE_LEFT_EYE = [36, 37, 38, 39, 40, 41];
const IMAGE_RIGHT_EYE = [42, 43, 44, 45, 46, 47];
const NOSE_TIP = 30;
const MOUTH_LEFT = 48;
const MOUTH_RIGHT = 54;

export function fivePointsFrom68(points: readonly Point[]): FivePoints {
    if (points.length !== 68) throw new RangeError(`expected 68 landmarks, got ${points.length}`);
    // Plain copies: face-api's points are class instances with getters.
    const at = (i: number): Point => ({ x: points[i].x, y: points[i].y });
    return [
        centre(IMAGE_LEFT_EYE.map((i) => points[i])),
        centre(IMAGE_RIGHT_EYE.map((i) => points[i])),
        at(NOSE_TIP),
        at(MOUTH_LEFT),
        at(MOUTH_RIGHT),
    ];
}

function centre(points: readonly Point[]): Point {
    let x = 0;
    let y = 0;
    for (const p of points) {
        x += p.x;
        y += p.y;
    }
    return { x: x / points.length, y: y / points.length };
}
