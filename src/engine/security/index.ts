/**
 * Trust (what a run may do), secrets and their redaction.
 * The part's public face: code outside src/engine imports it from here (lint enforces it).
 */
export { envView, missingSecrets, pickSecrets, resumeSecretNote, scopeValues, secretInputNames, secretValuesOf } from './secret-values.js';
export { type Capability, DENIED, makeTrust, type Trust, TRUSTED } from './trust.js';
