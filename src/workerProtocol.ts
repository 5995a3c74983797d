/**
 * The messages between a page and a Web Worker that trains for it (`purenet/worker`): what the
 * page asks (`Request`) and what the worker answers (`Reply`), as io-ts codecs, since a message
 * is data from outside either side. Both sides decode what they receive (`decodeRequest`,
 * `decodeReply`) and get an `Either` whose message names the path of the bad field.
 *
 * The page sets up a run (`setup`: a network spec, a loss, an optimizer, the data, the seed and
 * how to draw the plane), then plays, pauses, steps and resets it; the worker answers with
 * `frame`s (where the run stands, the network's output over the plane, each hidden unit's output,
 * each dense layer's weights and the gradient of the training loss at them), and on request with
 * a loss `landscape` around the current weights with the optimizer's path projected on it, or a
 * purenet model file (`save`, `load`). Everything is plain JSON data: structured clone carries
 * it, and `JSON.stringify` of a message is a faithful log of the session.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'

const int = t.refinement(t.number, Number.isInteger, 'integer')
const positiveInt = t.refinement(t.number, (n) => Number.isInteger(n) && n > 0, 'positive integer')
const positive = t.refinement(t.number, (n) => Number.isFinite(n) && n > 0, 'positive number')
const finite = t.refinement(t.number, Number.isFinite, 'finite number')
// An array of numbers, checked in one pass: a frame holds thousands, and t.array(t.number) would
// build a validation context per element (it cost the page most of its time per frame).
const isNumbers = (u: unknown): u is number[] => Array.isArray(u) && u.every((x) => typeof x === 'number')
const numbers = new t.Type<number[], number[], unknown>('number[]', isNumbers, (u, c) => (isNumbers(u) ? t.success(u) : t.failure(u, c)), t.identity)

/** A dataset as rows: `x` holds `features` numbers per example (row-major), `y` one target per example. @category worker */
export const DataCodec = t.type({ features: positiveInt, x: numbers, y: numbers }, 'Data')
/** @category worker */
export type Data = t.TypeOf<typeof DataCodec>

/** The losses a worker trains with: binary cross-entropy of one logit against 0/1 labels, or the mean squared error. @category worker */
export const LossNameCodec = t.keyof({ binaryCrossEntropy: null, mse: null }, 'LossName')
/** @category worker */
export type LossName = t.TypeOf<typeof LossNameCodec>

/** The optimizers a worker trains with, by name. @category worker */
export const OptimizerNameCodec = t.keyof({ sgd: null, momentum: null, adam: null, rmsprop: null }, 'OptimizerName')
/** @category worker */
export type OptimizerName = t.TypeOf<typeof OptimizerNameCodec>

/** How to draw a network of two inputs over the plane: the extent `[x0, x1, y0, y1]` and the grid sizes. @category worker */
export const ViewCodec = t.type({
  extent: t.tuple([finite, finite, finite, finite]),
  resolution: positiveInt,
  neuronResolution: positiveInt,
}, 'View')
/** @category worker */
export type View = t.TypeOf<typeof ViewCodec>

/** What the page asks the worker. @category worker */
export const RequestCodec = t.union([
  t.type({
    type: t.literal('setup'),
    /** A layer spec (`net.spec`), rebuilt with `nn.fromSpec`. */
    net: t.unknown,
    loss: LossNameCodec,
    optimizer: t.type({ name: OptimizerNameCodec, learningRate: positive }),
    batchSize: positiveInt,
    seed: int,
    train: DataCodec,
    test: DataCodec,
    view: ViewCodec,
  }, 'setup'),
  t.type({ type: t.literal('play') }, 'play'),
  t.type({ type: t.literal('pause') }, 'pause'),
  t.type({ type: t.literal('step'), steps: positiveInt }, 'step'),
  t.type({ type: t.literal('reset') }, 'reset'),
  /**
   * The loss on a plane through the current weights θ, on a resolution × resolution grid. `random`:
   * two filter-normalised random directions, α and β in [-span, span] (Li et al.). `path`: the
   * plane through the first weights θ₀ of the run: δ = θ₀ - θ, and a filter-normalised random η
   * made orthogonal to δ and as long; α in [-span/2, 1 + span/2] (the run starts at α = 1 and
   * ends at 0), β in [-span, span]; it shows the valley the optimizer went down.
   */
  t.type({ type: t.literal('landscape'), plane: t.keyof({ random: null, path: null }), resolution: positiveInt, span: positive, seed: int }, 'landscape'),
  t.type({ type: t.literal('save') }, 'save'),
  t.type({ type: t.literal('load'), text: t.string }, 'load'),
], 'Request')
/** @category worker */
export type Request = t.TypeOf<typeof RequestCodec>

/** One dense layer as a frame shows it: weights `[inSize × outSize]` row-major and the gradient of the training loss at them. @category worker */
export const LayerViewCodec = t.type({ inSize: positiveInt, outSize: positiveInt, weights: numbers, gradients: numbers }, 'LayerView')
/** @category worker */
export type LayerView = t.TypeOf<typeof LayerViewCodec>

/** Where a run stands, and what to draw. @category worker */
export const FrameCodec = t.type({
  type: t.literal('frame'),
  step: int,
  epoch: int,
  playing: t.boolean,
  trainLoss: t.number,
  testLoss: t.number,
  /** The network's output (a probability for `binaryCrossEntropy`) over the view's grid, rows from y0 to y1; empty unless there are 2 inputs. */
  field: numbers,
  /** Each hidden layer's units, each unit's output over the neuron grid (same order). */
  neurons: t.array(t.array(numbers)),
  layers: t.array(LayerViewCodec),
}, 'frame')
/** @category worker */
export type Frame = t.TypeOf<typeof FrameCodec>

/** What the worker answers. @category worker */
export const ReplyCodec = t.union([
  FrameCodec,
  /** Posted once when the session starts: which kernels train here (`activeKernels()` in the worker). */
  t.type({ type: t.literal('ready'), kernels: t.type({ kind: t.keyof({ 'wasm-simd': null, portable: null, mixed: null }), reason: t.string }) }, 'ready'),
  t.type({
    type: t.literal('landscape'),
    alphas: numbers,
    betas: numbers,
    /** `losses[i][j]` is the loss at (alphas[i], betas[j]) around the current weights. */
    losses: t.array(numbers),
    /** The recorded weights of the run so far, projected on the plane: [α, β] per point, oldest first. */
    path: t.array(t.tuple([t.number, t.number])),
  }, 'landscape'),
  t.type({ type: t.literal('model'), text: t.string }, 'model'),
  t.type({ type: t.literal('loaded'), net: t.unknown, step: int }, 'loaded'),
  t.type({ type: t.literal('error'), request: t.string, message: t.string }, 'error'),
], 'Reply')
/** @category worker */
export type Reply = t.TypeOf<typeof ReplyCodec>

// The path of the first error (`train.features`), what was expected there, and what came.
const describeErrors = (errors: t.Errors, what: string): string => {
  const first = errors[0]
  if (first === undefined) return `worker: invalid ${what}`
  const path = first.context.map((c) => c.key).filter((k) => k !== '').join('.')
  const expected = first.context.at(-1)?.type.name ?? 'a valid value'
  const shown = JSON.stringify(first.value)
  return `worker: invalid ${what}${path === '' ? '' : ` at ${path}`}: expected ${expected}, got ${shown === undefined ? 'undefined' : shown.slice(0, 60)}`
}

// Decodes with the member of a union that the message's `type` names, so an error names a field
// of that member rather than the union's first.
const decodeTagged = <A>(codec: { readonly types: ReadonlyArray<t.Mixed> } & t.Type<A>, what: string, message: unknown): E.Either<string, A> => {
  const tag = typeof message === 'object' && message !== null ? (message as { readonly type?: unknown }).type : undefined
  const member = codec.types.find((m: t.Mixed) => m.name === tag)
  if (member === undefined) {
    const known = codec.types.map((m: t.Mixed) => m.name).join(', ')
    return E.left(`worker: invalid ${what}: expected an object whose type is one of ${known}, got ${JSON.stringify(message)?.slice(0, 60) ?? 'undefined'}`)
  }
  // the member is one of the union's, so what it decodes is an A
  return pipe(member.decode(message) as t.Validation<A>, E.mapLeft((errors) => describeErrors(errors, `${what} '${String(tag)}'`)))
}

/**
 * Decodes a message a worker received: `Right` of the request, or `Left` of a message naming the
 * path of the bad field (`worker: invalid request 'setup' at train.features: ...`).
 * @category worker
 */
export const decodeRequest = (message: unknown): E.Either<string, Request> => decodeTagged(RequestCodec, 'request', message)

/**
 * Decodes a message a page received from its worker: `Right` of the reply, or `Left` of a message
 * naming the path of the bad field.
 * @category worker
 */
export const decodeReply = (message: unknown): E.Either<string, Reply> => decodeTagged(ReplyCodec, 'reply', message)
