/**
 * The `io` namespace of the browser entry: the pure codecs of `src/io` (which know tensors, trees
 * and JSON only) bound to `nn`, so that a model file's architecture becomes a layer and its
 * parameters are checked against that layer's layout. This is the layer above io that the layer
 * table asks for: `nn.fromSpec` and `nn.paramLayout` meet the codecs here, never inside io.
 * No `node:` module is reachable from this file.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as io from './io/pure.js'
import type { Architecture, CheckpointDocument, DecodedCheckpoint, JsonObject, ModelDocument, ModelError, ModelLimits, RunFingerprint, TreeLayout } from './io/pure.js'
import { type AnyLayer, type Layer, type LayerRegistry, type LayerSpec, type ParamsOf, fromSpec, paramLayout } from './nn/index.js'
import type { OptState } from './optim/index.js'
import type { Checkpoint } from './train/index.js'
import type { Tree } from './tree/index.js'

export * from './io/pure.js'

/**
 * A model: a network, its parameters, and optionally the optimizer state, step count, key and
 * history of the run that trained it, and the user's own JSON data (`extra`: class names, feature
 * names, normalisation constants, ...). A `ModelDocument` whose network is an `nn` layer.
 * @example
 * ```ts
 * const net = nn.dense(4, 3)
 * const model: io.SavedModel<typeof net> = { net, params: net.init(random.key(0)), step: 100 }
 * io.encodeModel(model)
 * ```
 * @category model
 */
export type SavedModel<L extends AnyLayer = Layer<unknown>> = ModelDocument<L, ParamsOf<L>>

/**
 * Options of `decodeModel` and `loadModel`: the limits, and optionally the network built in code.
 * With `net`, the file's architecture must equal `net.spec` and the model comes back with `net`
 * itself (typed); this is how a network with custom layers (`nn.elementwise`, hand-written) is
 * loaded, since a spec cannot rebuild those. With `registry`, an architecture may use the layer
 * kinds it adds (`nn.registry.with(myKind)`).
 * @example
 * ```ts
 * const net = nn.dense(4, 3)
 * const options: io.DecodeOptions<typeof net> = { net, maxBytes: 1e6 }
 * ```
 * @category model
 */
export interface DecodeOptions<L extends AnyLayer = AnyLayer> extends ModelLimits {
  readonly net?: L
  readonly registry?: LayerRegistry
}

/**
 * The layout of an `nn` layer's parameters, read off its spec. @category model
 * @example
 * ```ts
 * io.layerLayout(nn.dense(2, 3)) // the tree of shapes a model file of dense(2, 3) holds: { w: [2, 3], b: [3] }
 * ```
 */
export const layerLayout = (net: AnyLayer): TreeLayout => paramLayout(net.spec)

/**
 * The architectures of `nn` with a registry of layer kinds (default the built-ins): a file's
 * architecture is rebuilt with `nn.fromSpec` (its budgets given by the decoder's limits), and
 * parameters are checked against `nn.paramLayout`.
 * @example
 * ```ts
 * const arch = io.specArchitecture(nn.registry) // rebuild networks from their spec with these layer kinds
 * ```
 * @category model
 */
export const specArchitecture = (registry?: LayerRegistry): Architecture<AnyLayer> => Object.freeze({
  decode: (json: unknown, limits: { readonly maxParameters: number; readonly maxLayers?: number }) =>
    E.mapLeft((e: { readonly path?: string; readonly detail: string }) => ({ path: e.path ?? '', detail: e.detail }))(
      fromSpec(json, registry === undefined ? limits : { ...limits, registry })),
  layout: (net: AnyLayer) => paramLayout(net.spec, registry),
})

/**
 * The architecture a decoder reads with: `options.net` checked against the file, or the file's own spec. @category model
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 3))
 * const arch = io.architectureOf({ net }) // how decodeModelText rebuilds (here: checks against) the network
 * ```
 */
export const architectureOf = (options: DecodeOptions): Architecture<AnyLayer> =>
  options.net === undefined ? specArchitecture(options.registry) : io.fixedArchitecture(options.net, (net) => paramLayout(net.spec, options.registry))

/**
 * Decodes a model file's text: `Right` of the network (rebuilt from the architecture, or
 * `options.net` checked against it), its parameters and whatever else the file holds, or
 * `Left(ModelError)` naming the path of the first problem. Pure; never throws.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 3))
 * const text = io.encodeModel({ net, params: net.init(random.key(0)) })
 * const model = io.decodeModel(text, { net }) // Right({ net, params, ... }); a bad file gives Left({ message: 'io.decodeModel: params[0].w: ...' })
 * ```
 * @category codecs
 */
export function decodeModel(text: string, options?: Omit<DecodeOptions, 'net'>): E.Either<ModelError, SavedModel>
export function decodeModel<L extends AnyLayer>(text: string, options: DecodeOptions<L> & { readonly net: L }): E.Either<ModelError, SavedModel<L>>
export function decodeModel(text: string, options: DecodeOptions = {}): E.Either<ModelError, SavedModel<AnyLayer>> {
  return io.decodeModelText(text, options, architectureOf(options))
}

/**
 * The text of a model file for a network, its parameters and optionally its optimizer state,
 * step, key, history and extra data. The parameters are checked against the architecture (shapes,
 * dtypes, finite values), so what is written can be read back. Pure. Throws an `Error` naming the
 * path for a model that cannot be saved (e.g. `params[0].w: element 3 is NaN`); `saveModel`
 * returns that as a `Left` instead.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 2))
 * const text = io.encodeModel({ net, params: net.init(random.key(0)), step: 1200, extra: { classes: ['cat', 'dog'] } })
 * ```
 * @category codecs
 */
export const encodeModel = <L extends AnyLayer>(model: SavedModel<L>): string => io.encodeModelText(model, layerLayout)

/**
 * A decoded checkpoint as `train` takes it. The network came from a spec or from `options.net`,
 * an `nn` layer; `train.Checkpoint` types it as a `Model<Tree>`, whose `apply` takes any tree,
 * while `AnyLayer.apply` takes `never` (it cannot say which tree), so the types do not meet
 * although the value is the same layer.
 * @example
 * ```ts
 * const r = await io.latestCheckpoint('runs/iris')
 * if (r._tag === 'Right' && r.right !== undefined) console.log(r.right.checkpoint.state.step)
 * ```
 * @category checkpoints
 */
export const trainCheckpoint = (c: CheckpointDocument<AnyLayer>): Checkpoint<Tree, OptState> =>
  c as unknown as Checkpoint<Tree, OptState>

/**
 * The text of a checkpoint file. Throws an `Error` naming the path for a checkpoint that cannot
 * be saved (a network without a spec, a NaN in the state); the writer of `io.checkpoints` reports
 * it the same way.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 3))
 * const iris = data.dataset(zeros([6, 4]), data.oneHot([0, 1, 2, 0, 1, 2], 3))
 * let text = ''
 * train.fit({ net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: iris, epochs: 1, batchSize: 3, key: random.key(0), checkpoint: { every: { epochs: 1 }, write: (c) => { text = io.encodeCheckpoint(c) } } })
 * ```
 * @category checkpoints
 */
export const encodeCheckpoint = <P extends Tree, S>(checkpoint: Checkpoint<P, S>, extra: JsonObject = {}): string =>
  io.encodeCheckpointText(checkpoint, (net) => paramLayout(net.spec as LayerSpec), extra)

/**
 * Decodes a checkpoint file's text: `Right` of the checkpoint (ready for `train.resume`) and the
 * user's `extra` data, or `Left(ModelError)` naming the path of the first problem. With
 * `options.net`, the file's architecture must be that network's. Pure; never throws.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 3))
 * const iris = data.dataset(zeros([6, 4]), data.oneHot([0, 1, 2, 0, 1, 2], 3))
 * const saved: Array<train.Checkpoint<ReturnType<typeof net.init>, optim.CountState>> = []
 * train.fit({ net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: iris, epochs: 1, batchSize: 3, key: random.key(0), checkpoint: { every: { epochs: 1 }, write: (c) => saved.push(c) } })
 * const text = io.encodeCheckpoint(saved[0]!)
 * const back = io.decodeCheckpoint(text) // Right({ checkpoint, extra }), ready for train.resume
 * ```
 * @category checkpoints
 */
export const decodeCheckpoint = (
  text: string,
  options: DecodeOptions = {},
): E.Either<ModelError, { readonly checkpoint: Checkpoint<Tree, OptState>; readonly extra: JsonObject; readonly fingerprint: RunFingerprint }> =>
  E.map((d: DecodedCheckpoint<AnyLayer>) => ({ ...d, checkpoint: trainCheckpoint(d.checkpoint) }))(io.decodeCheckpointText(text, options, architectureOf(options)))
