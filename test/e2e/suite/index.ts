/**
 * The extension tests' entry inside VS Code's (code-server's) Node extension host:
 * `run()` as @vscode/test-electron expects, with Mocha's TDD interface.
 */
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
    const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
    mocha.addFile(path.join(__dirname, 'extension.test.cjs'));
    return new Promise((resolve, reject) => {
        mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension test(s) failed`)) : resolve()));
    });
}
