/**
 * The part of `io` that touches no disk: the model-file and checkpoint formats as text, encoded
 * and decoded. It imports no `node:` module, so a browser can read and write model files with it;
 * `src/browser.ts` exports it as `io`.
 */
export { type ModelError, type ModelErrorLocation, type ModelSource, isModelError, modelError, toError } from './ModelError.js'
export {
  type DecodeOptions, type ModelHistory, type ModelLimits, type SavedModel,
  decodeModel, defaultMaxBytes, defaultMaxElements, encodeModel, modelFormat, modelVersion, readableVersions,
} from './modelFile.js'
export { type Json, type JsonObject, defaultMaxNodes } from './jsonText.js'
export {
  type RunFingerprint, type TensorFingerprint,
  checkpointExtraKey, checkpointFromModel, checkpointToModel, dataFingerprint, decodeCheckpoint, encodeCheckpoint, fingerprintDifference,
} from './checkpointFile.js'
