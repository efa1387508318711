/**
 * The extension tests' entry inside VS Code's (code-server's) Node extension host:
 * `run()` as @vscode/test-electron expects, with Mocha's TDD interface.
 */
import * as path from 'node:path';
import Mocha from 'mocha';

/** Runs the bundled test files beside this one. */
export function runFiles(files: string[]): Promise<void> {
    const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
    for (const file of files) {
        mocha.addFile(path.join(__dirname, file));
    }
    return new Promise((resolve, reject) => {
        mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension test(s) failed`)) : resolve()));
    });
}

export function run(): Promise<void> {
    return runFiles(['extension.test.cjs']);
}
