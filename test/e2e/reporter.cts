/**
 * mocha's spec reporter, then one last line, `N passed, N failed`, that CI reads. A failed hook
 * (the setup, the check that nothing was saved) counts as a failure. CommonJS because mocha loads
 * a reporter with require and uses its export as the constructor.
 */
import Mocha = require('mocha');

class E2EReporter extends Mocha.reporters.Spec {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
        super(runner, options);
        // Registered after the spec reporter's epilogue, so it prints last.
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            process.stdout.write(`${this.stats.passes} passed, ${this.stats.failures} failed\n`);
        });
    }
}

export = E2EReporter;
