/**
 * The engines the runtime's tests run on: the wasm engine always, the native TensorFlow engine
 * whenever it is installed (`persemon backends install node`). Where the native engine is required
 * (CI, or PERSEMON_REQUIRE_NATIVE=1), its absence is a failing test, never a silent skip.
 */
import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { readEngine } from '../../src/backend/native/engine.js';
import { selectBackend } from '../../src/backend/select.js';

export type TestEngine = 'wasm' | 'node';

export const NATIVE_REQUIRED = process.env.CI === 'true' || process.env.PERSEMON_REQUIRE_NATIVE === '1';

export function nativeInstalled(): boolean {
    if (readEngine('node').manifest) return true;
    try {
        createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
        return true;
    } catch {
        return false;
    }
}

export function testEngines(): TestEngine[] {
    return nativeInstalled() ? ['wasm', 'node'] : ['wasm'];
}

/**
 * Selects `engine` for one describe block, with tfjs's IS_TEST off: its per-kernel leak check counts
 * the wasm backend's cached scalars of custom-gradient ops (logSoftmax) as leaks, which they are not,
 * and throws from inside our kernels; another suite may have left it on.
 */
export function useEngine(engine: TestEngine): void {
    let testFlag = false;
    before(async function () {
        this.timeout(120_000);
        testFlag = tf.env().getBool('IS_TEST');
        tf.env().set('IS_TEST', false);
        await selectBackend(engine);
    });
    after(() => {
        tf.env().set('IS_TEST', testFlag);
    });
}

/** `describe(title [engine])` with `body` once per engine under test (`this` is the suite, as in describe). */
export function describeOnEngines(title: string, body: (this: Mocha.Suite, engine: TestEngine) => void): void {
    for (const engine of testEngines()) {
        describe(`${title} [${engine}]`, function () {
            useEngine(engine);
            body.call(this, engine);
        });
    }
    if (!testEngines().includes('node') && NATIVE_REQUIRED) {
        describe(`${title} [node]`, () => {
            it('runs on the native engine', () => {
                assert.fail('the native TensorFlow engine is not installed, and this run requires it: '
                    + 'run `npx persemon backends install node` first');
            });
        });
    }
}
