/**
 * The part of `io` that touches no disk: the model-file and checkpoint formats as text, encoded
 * and decoded against an `Architecture` that the layer above gives (io knows tensors, trees and
 * JSON, never layers). It imports no `node:` module, so a browser can read and write model files
 * with it; `src/ioPure.ts` binds it to `nn` and is the browser entry's `io`.
 */
export { type ModelError, type ModelErrorLocation, type ModelSource, isModelError, modelError, relocate, toError } from './ModelError.js'
export {
  type Architecture, type KeyWords, type ModelDocument, type ModelHistory, type ModelLimits, type Network,
  decodeModelText, defaultMaxBytes, defaultMaxElements, encodeModelText, fixedArchitecture, modelFormat, modelVersion, readableVersions,
} from './modelFile.js'
export { type StateTree, type TreeLayout, type TreeProblem, layoutElements } from './tensorTree.js'
export { type Json, type JsonObject, defaultMaxNodes } from './jsonText.js'
export {
  type CheckpointDocument, type DecodedCheckpoint, type RunFacts, type RunFingerprint, type TensorFingerprint,
  checkpointExtraKey, checkpointFromModel, checkpointToModel, dataFingerprint, decodeCheckpointText, encodeCheckpointText, fingerprintDifference,
} from './checkpointFile.js'
