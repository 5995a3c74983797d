/**
 * Model files: a network's architecture, parameters and training state in one versioned JSON
 * format, read and written with nothing lost (tensors bit for bit) and every outside byte checked.
 * `encodeModel`/`decodeModel` are pure and browser-usable; `saveModel`/`loadModel` add the disk
 * (atomic writes, bounded reads) and, with the checkpoint folders below, are the only part that
 * imports `node:` modules. Decoding never
 * throws: it returns `Either<ModelError, SavedModel>` whose message names the file, the path of the
 * bad value and the fix. The format and its laws are in `modelFile.ts`.
 *
 * Checkpoints are model files too (`checkpointFile.ts`, pure): `checkpoints(folder, { every, keep })`
 * is `train.fit`'s `checkpoint` option writing numbered files atomically, and `resume(folder,
 * options)` continues a run from the newest one, bit for bit (`checkpoints.ts`, `node:` modules).
 */
export * from './pure.js'
export { saveModel, loadModel } from './files.js'
export {
  type CheckpointFile, type CheckpointFolder, type CheckpointFolderOptions, type LoadedCheckpoint,
  checkpointFileName, checkpointWriter, checkpoints, latestCheckpoint, listCheckpoints, resume,
} from './checkpoints.js'
