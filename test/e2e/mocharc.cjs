/**
 * mocha's configuration for the editor end to end (`npm run test:e2e`). The specs run in this
 * order, in one code-server session (hooks.ts), because later ones use the runs earlier ones start.
 * E2E_STEPS=regex runs only the tests whose full title (`describe` then `it`) matches, as --grep.
 * No mocha timeout: every wait in the tests carries its own bound.
 */
module.exports = {
    'node-option': ['import=tsx'],
    require: ['test/e2e/hooks.ts'],
    reporter: 'test/e2e/reporter.cts',
    spec: [
        'test/e2e/specs/authoring.e2e.ts',
        'test/e2e/specs/running.e2e.ts',
        'test/e2e/specs/runs-view.e2e.ts',
        'test/e2e/specs/predict.e2e.ts',
        'test/e2e/specs/stop-resume.e2e.ts',
        'test/e2e/specs/panel.e2e.ts',
        'test/e2e/specs/sweep.e2e.ts',
        'test/e2e/specs/restricted.e2e.ts',
        // Last: it stops the shared session and starts one of its own, with only the .vsix.
        'test/e2e/specs/standalone.e2e.ts'
    ],
    timeout: 0,
    ...(process.env.E2E_STEPS ? { grep: process.env.E2E_STEPS } : {})
};
