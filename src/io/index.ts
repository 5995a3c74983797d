/**
 * Model files: a network's architecture, parameters and training state in one versioned JSON
 * format, read and written with nothing lost (tensors bit for bit) and every outside byte checked.
 * io is pure codecs at the bottom: it knows tensors, trees, JSON and bytes, and reads a network's
 * architecture through an `Architecture` given from above (`src/ioPure.ts` binds `nn.fromSpec`
 * and `nn.paramLayout`; `src/ioNamespace.ts` adds `train` for `io.checkpoints` and `io.resume`).
 * The codecs (`pure.ts`) use no `node:` module; the files (`files.ts`, `checkpoints.ts`: atomic
 * writes, bounded reads, folders of numbered checkpoints) do. Decoding never throws: it returns
 * `Either<ModelError, _>` whose message names the file, the path of the bad value and the fix.
 * The format and its laws are in `modelFile.ts`; checkpoints are model files (`checkpointFile.ts`).
 */
export * from './pure.js'
export { saveModelFile, loadModelFile } from './files.js'
export {
  type CheckpointFile, type CheckpointFolderOptions, type CheckpointInFile,
  checkpointFileName, checkpointFolderWriter, listCheckpoints, newestCheckpoint,
} from './checkpoints.js'
