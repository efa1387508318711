/**
 * The bundled catalogs (`std`, always imported, and `km`) and how `import` paths resolve
 * to documents. The catalogs' source ships inside the bundle as text.
 */
import { URI, UriUtils } from 'langium';
import stdSource from './catalogs/std.kmflow';
import kmSource from './catalogs/km.kmflow';
import { CATALOG_SCHEME } from '../shared/lsp-protocol.js';

export { CATALOG_SCHEME } from '../shared/lsp-protocol.js';

export interface BundledCatalog {
    name: string;
    uri: URI;
    source: string;
    /** The server its tools are bound to (`via km`), if any. */
    server?: string;
}

export const BUNDLED_CATALOGS: readonly BundledCatalog[] = [
    { name: 'std', uri: URI.parse(`${CATALOG_SCHEME}:/std.kmflow`), source: stdSource },
    { name: 'km', uri: URI.parse(`${CATALOG_SCHEME}:/km.kmflow`), source: kmSource, server: 'km' },
];

export const STD_CATALOG_URI = BUNDLED_CATALOGS[0].uri.toString();

export function isCatalogUri(uri: URI | string): boolean {
    return (typeof uri === 'string' ? URI.parse(uri) : uri).scheme === CATALOG_SCHEME;
}

/** The bundled catalog an `import "NAME"` names, if it names one. */
export function bundledCatalog(name: string): BundledCatalog | undefined {
    return BUNDLED_CATALOGS.find((c) => c.name === name);
}

/**
 * The URI an import path points at: a bundled catalog for a bare name (`"km"`), otherwise
 * a file relative to the importing document (`"./shared.kmflow"`, `.kmflow` optional).
 */
export function resolveImport(from: URI, path: string | undefined): URI | undefined {
    if (!path) {
        return undefined;
    }
    const catalog = bundledCatalog(path);
    if (catalog) {
        return catalog.uri;
    }
    if (!path.startsWith('.') && !path.startsWith('/')) {
        return undefined;
    }
    const file = path.endsWith('.kmflow') ? path : `${path}.kmflow`;
    if (file.startsWith('/')) {
        return URI.file(file);
    }
    return UriUtils.resolvePath(UriUtils.dirname(from), file);
}
