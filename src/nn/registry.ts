/**
 * The built-in layer kinds, one line each, in the order messages list them. A new built-in layer
 * is its file (constructor + kind) and one line here; a user's layer kind goes into a registry of
 * their own, `registry.with(myKind)` (see `LayerKind.ts`).
 */
import { activationLayerKinds } from './activations.js'
import { batchNormKind } from './batchNorm.js'
import { channelsFirstKind, channelsLastKind } from './channels.js'
import { conv2dKind } from './conv2d.js'
import { denseKind } from './dense.js'
import { dropoutKind } from './dropout.js'
import { embeddingKind } from './embedding.js'
import { flattenKind } from './flatten.js'
import { gruKind } from './gru.js'
import { type LayerRegistry, layerRegistry } from './LayerKind.js'
import { layerNormKind } from './layerNorm.js'
import { lstmKind } from './lstm.js'
import { fanOutKind, parallelKind } from './parallel.js'
import { avgPool2dKind, maxPool2dKind } from './pools.js'
import { residualKind } from './residual.js'
import { serialKind } from './serial.js'

/**
 * The registry of the built-in layer kinds: dense, the activations, dropout, serial, fanOut,
 * parallel, residual, conv2d, maxPool2d, avgPool2d, flatten,
 * embedding, layerNorm, gru, lstm, batchNorm. `fromSpec` and `paramLayout` read it unless given another.
 * @example
 * ```ts
 * const json: unknown = JSON.parse('{"kind":"serial","layers":[{"kind":"dense","inSize":4,"outSize":3},{"kind":"relu"}]}')
 * const net = nn.fromSpec(json, { registry: nn.registry }) // Either<DecodeError, Layer>; nn.registry.with(myKind) adds a kind
 * ```
 * @category specs
 */
export const registry: LayerRegistry = layerRegistry([
  denseKind,
  ...activationLayerKinds,
  dropoutKind,
  serialKind,
  fanOutKind,
  parallelKind,
  residualKind,
  conv2dKind,
  maxPool2dKind,
  avgPool2dKind,
  flattenKind,
  embeddingKind,
  layerNormKind,
  gruKind,
  lstmKind,
  batchNormKind,
  channelsLastKind,
  channelsFirstKind,
])
