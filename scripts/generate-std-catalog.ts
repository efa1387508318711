// Writes src/language/catalogs/std.kmflow from the engine's built-in tools.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderStdCatalog } from '../src/language/std-catalog.js';

const target = path.resolve(import.meta.dirname, '../src/language/catalogs/std.kmflow');
fs.writeFileSync(target, renderStdCatalog());
