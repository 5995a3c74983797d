/**
 * The part of `io` that touches no disk: the model-file and checkpoint formats as text, encoded
 * and decoded. It imports no `node:` module, so a browser can read and write model files with it;
 * `src/browser.ts` exports it as `io`.
 */
export { type ModelError, type ModelErrorLocation, type ModelSource, isModelError, modelError, toError } from './ModelError.js'
export {
  type DecodeOptions, type ModelHistory, type ModelLimits, type SavedModel,
  decodeModel, defaultMaxBytes, defaultMaxElements, encodeModel, modelFormat, modelVersion,
} from './modelFile.js'
export type { Json, JsonObject } from './jsonText.js'
export { checkpointExtraKey, checkpointFromModel, checkpointToModel, decodeCheckpoint, encodeCheckpoint } from './checkpointFile.js'
