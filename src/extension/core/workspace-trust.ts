/**
 * The Trust of a run started in VS Code: a trusted workspace may do everything a run
 * can (start its servers, run `shell`, reach the network, read the environment); an
 * untrusted one nothing, and each denial says to trust the workspace.
 */
import { DENIED, makeTrust, TRUSTED, type Capability, type Trust } from '../../engine/security/trust.js';

const HOW = 'trust the workspace (Workspaces: Manage Workspace Trust)';
const GRANT: Record<Capability, string> = { spawn: HOW, shell: HOW, network: HOW, outsideRoot: HOW };

export function workspaceTrust(trusted: boolean): Trust {
    return makeTrust({ ...(trusted ? TRUSTED : DENIED), grant: GRANT });
}
