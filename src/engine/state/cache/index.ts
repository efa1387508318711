/** The engine's result cache: policy, keys, the in-run memo and the disk store. */
export { canonicalJson, sha256 } from './canonical.js';
export { cacheDecision, type CacheDecision } from './policy.js';
export { DiskStore, DEFAULT_CACHE_BYTES } from './disk-store.js';
export { RunCache, cacheKey, toolVersion, type CacheHit } from './run-cache.js';
export { predictCacheHit, type CachePrediction, type PredictOptions } from './predict.js';
