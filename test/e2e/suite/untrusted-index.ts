/** The entry of the Restricted Mode tests (code-server started with Workspace Trust on). */
import { runFiles } from './index.js';

export function run(): Promise<void> {
    return runFiles(['untrusted.test.cjs']);
}
