/**
 * A workspace's `afterParse` (where the CLI collects a big parse's garbage) runs once a
 * load has parsed every document and before it links or checks any.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DocumentState } from 'langium';
import { Workspace } from '../../src/app/index.js';

describe('a workspace load', () => {
    it('calls afterParse once, with every document parsed and none linked or checked', async () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-load-'));
        fs.writeFileSync(path.join(root, 'a.kmflow'), 'import "./b.kmflow"\nworkflow a { step s uses log { with { message: "a" } } }\n');
        fs.writeFileSync(path.join(root, 'b.kmflow'), 'workflow b { step t uses nope }\n');
        const seen: Array<Array<[string, DocumentState]>> = [];
        const workspace = Workspace.open({
            root,
            afterParse: () => seen.push(workspace.services.shared.workspace.LangiumDocuments.all
                .map((d): [string, DocumentState] => [path.basename(d.uri.path), d.state]).toArray()),
        });
        const loaded = await workspace.load({ files: [path.join(root, 'a.kmflow')] });
        expect(seen).toHaveLength(1);
        const states = new Map(seen[0]);
        expect(states.get('a.kmflow')).toBe(DocumentState.Parsed);
        expect(states.get('b.kmflow')).toBe(DocumentState.Parsed);
        expect([...states.values()].every((s) => s === DocumentState.Parsed)).toBe(true);
        // Checked afterwards as usual: the import's unknown tool is b's error, not a's.
        expect(loaded.files[0]!.errors).toHaveLength(0);
        fs.rmSync(root, { recursive: true, force: true });
    });
});
