// Writes src/language/catalogs/km.kmflow from the Keyboard Maestro server's published tools
// (km/server-tools.json), kmflow's overlay and the unpublished tools.
//   npm run catalog:km                      regenerate from the JSON kept in the repo
//   npm run catalog:km -- --from FILE.json  first copy a newer server-tools JSON into the repo
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderKmCatalog } from '../src/language/km-catalog.js';

const dir = path.resolve(import.meta.dirname, '../src/language/catalogs');
const from = process.argv.indexOf('--from');
if (from > 0) {
    const source = process.argv[from + 1];
    if (!source) {
        throw new Error('--from takes the path of a server-tools JSON file');
    }
    fs.copyFileSync(source, path.join(dir, 'km/server-tools.json'));
}
const read = (name: string): string => fs.readFileSync(path.join(dir, name), 'utf8');
fs.writeFileSync(path.join(dir, 'km.kmflow'), renderKmCatalog(
    JSON.parse(read('km/server-tools.json')), JSON.parse(read('km/overlay.json')), read('km/unpublished.kmflow')));
