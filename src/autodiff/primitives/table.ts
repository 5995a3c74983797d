/**
 * The table of primitives, built from the list in index.ts plus the internal fused rules (the
 * backward passes of tanh, sigmoid and relu, which those public primitives use as their rules
 * but `ops` does not export; max pooling and its backward, which `ops.maxPool2d` calls). Interpreters dispatch on these values, never on names; the
 * property suite walks this table.
 */
import { reluBackward, sigmoidBackward, tanhBackward } from './activationBackward.js'
import * as listed from './index.js'
import { maxPool, maxPoolBackward } from './maxPool.js'

/** Every primitive, by name: the public list and the internal fused rules. @category primitives */
export const primitives = Object.freeze({ ...listed, reluBackward, sigmoidBackward, tanhBackward, maxPool, maxPoolBackward })
