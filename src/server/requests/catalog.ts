/**
 * `kmflow/catalog`: the source of a bundled catalog (`kmflow-catalog:/km.kmflow`), which
 * the editor shows read-only when go to definition leads into `std` or `km`.
 */
import { URI } from 'langium';
import { BUNDLED_CATALOGS } from '../../language/catalogs.js';
import type { CatalogParams } from '../../shared/lsp-protocol.js';

export function catalogRequest(params: CatalogParams): { text?: string } {
    const { path } = URI.parse(params.uri);
    const catalog = BUNDLED_CATALOGS.find((c) => c.uri.path === path);
    return catalog ? { text: catalog.source } : {};
}
