/**
 * Architecture as data: every layer carries a `spec`, a plain JSON value that says what the layer
 * is (`{ kind: 'dense', inSize: 784, outSize: 128, ... }`, `{ kind: 'serial', layers: [...] }`),
 * from which `fromSpec` rebuilds it. A spec holds no functions, no tensors and no cycles, so
 * `JSON.parse(JSON.stringify(spec))` deep-equals `spec`.
 *
 * Laws (checked in properties/spec.test.ts):
 * 1. round trip: `fromSpec(l.spec)` is `Right(m)` with `m.spec` deep-equal to `l.spec`, the same
 *    name and sizes, and `m` behaves exactly like `l`: the same key gives bit-identical
 *    parameters, and the same parameters, input and context give bit-identical outputs.
 * 2. `fromSpec` never throws: anything that is not a valid spec is a `Left(DecodeError)` whose
 *    message names the path of the bad field.
 * 3. `paramLayout(l.spec)` has the structure, shapes and dtypes of `l.init(key)`, computed
 *    without allocating a tensor.
 *
 * Two kinds of layer cannot be rebuilt from data, because part of them is code: a layer made by
 * `elementwise(name, op)` (and any layer written by hand) has the spec `{ kind: 'custom', name }`,
 * and a dense layer given an initialiser function has `weights: 'custom'` (or `bias`). `fromSpec`
 * refuses both with a message that says so; a model file of such a network is loaded by passing
 * the network built in code (`io.decodeModel(text, { net })`).
 */
import type { DType, Shape } from '../tensor/index.js'
import type { InitializerName } from './initializers.js'

/** The activations a spec can name: the built-in activation layers of `nn`. @category specs */
export type ActivationKind =
  | 'relu' | 'sigmoid' | 'atan' | 'tanh' | 'softplus' | 'leakyRelu' | 'elu' | 'gelu' | 'identity' | 'softmax' | 'logSoftmax'

/** Every activation kind, in the order the docs list them. @category specs */
export const activationKinds: ReadonlyArray<ActivationKind> = Object.freeze([
  'relu', 'sigmoid', 'atan', 'tanh', 'softplus', 'leakyRelu', 'elu', 'gelu', 'identity', 'softmax', 'logSoftmax',
] as const)

/** How a dense layer initialises a tensor: a built-in initialiser's name, or `'custom'` for a function. @category specs */
export type InitializerSpec = InitializerName | 'custom'

/** `dense(inSize, outSize, { weights, bias, dtype })`. @category specs */
export type DenseSpec = {
  readonly kind: 'dense'
  readonly inSize: number
  readonly outSize: number
  readonly weights: InitializerSpec
  readonly bias: InitializerSpec
  readonly dtype: DType
}

/** A built-in activation layer (`relu`, `tanh`, ...). @category specs */
export type ActivationSpec = { readonly kind: ActivationKind }

/** `dropout(rate)`. @category specs */
export type DropoutSpec = { readonly kind: 'dropout'; readonly rate: number }

/** A layer whose behaviour is code (`elementwise(name, op)`, a hand-written layer): it cannot be rebuilt from data. @category specs */
export type CustomSpec = { readonly kind: 'custom'; readonly name: string }

/** `serial(...layers)`. @category specs */
export type SerialSpec = { readonly kind: 'serial'; readonly layers: ReadonlyArray<LayerSpec> }

/** `fanOut(...layers)`. @category specs */
export type FanOutSpec = { readonly kind: 'fanOut'; readonly layers: ReadonlyArray<LayerSpec> }

/** `parallel(...layers)`. @category specs */
export type ParallelSpec = { readonly kind: 'parallel'; readonly layers: ReadonlyArray<LayerSpec> }

/** `residual(layer)`. @category specs */
export type ResidualSpec = { readonly kind: 'residual'; readonly layer: LayerSpec }

/**
 * The serialisable description of a layer, a discriminated union on `kind`: a plain JSON value.
 * @category specs
 */
export type LayerSpec =
  | DenseSpec | ActivationSpec | DropoutSpec | CustomSpec | SerialSpec | FanOutSpec | ParallelSpec | ResidualSpec

/** Every `kind` a spec may have. @category specs */
export type LayerKind = LayerSpec['kind']

/**
 * The layout of a layer's parameters, read off its spec: the tree `init` makes, with the shape and
 * dtype of every tensor but no data. `unknown` stands for the parameters of a custom layer, which
 * only its code knows.
 * @category specs
 */
export type ParamLayout =
  | { readonly node: 'tensor'; readonly shape: Shape; readonly dtype: DType }
  | { readonly node: 'array'; readonly items: ReadonlyArray<ParamLayout> }
  | { readonly node: 'record'; readonly fields: ReadonlyArray<readonly [string, ParamLayout]> }
  | { readonly node: 'unknown'; readonly name: string }

const EMPTY: ParamLayout = Object.freeze({ node: 'record' as const, fields: Object.freeze([]) })

/**
 * The parameter layout of a spec: `{ w: [inSize, outSize], b: [outSize] }` for dense, `{}` for
 * activations and dropout, an array of the children's layouts for serial, fanOut and parallel,
 * the inner layer's for residual. Allocates nothing, so it is safe on a spec of absurd sizes.
 * @example paramLayout(dense(2, 3).spec) // record { w: tensor [2, 3], b: tensor [3] }
 * @category specs
 */
export const paramLayout = (spec: LayerSpec): ParamLayout => {
  switch (spec.kind) {
    case 'dense':
      return Object.freeze({
        node: 'record' as const,
        fields: Object.freeze([
          Object.freeze(['w', Object.freeze({ node: 'tensor' as const, shape: Object.freeze([spec.inSize, spec.outSize]), dtype: spec.dtype })] as const),
          Object.freeze(['b', Object.freeze({ node: 'tensor' as const, shape: Object.freeze([spec.outSize]), dtype: spec.dtype })] as const),
        ]),
      })
    case 'serial':
    case 'fanOut':
    case 'parallel':
      return Object.freeze({ node: 'array' as const, items: Object.freeze(spec.layers.map(paramLayout)) })
    case 'residual':
      return paramLayout(spec.layer)
    case 'custom':
      return Object.freeze({ node: 'unknown' as const, name: spec.name })
    default:
      return EMPTY
  }
}

/** The number of parameters (tensor elements) of a layout; `NaN` when it has an unknown part. @category specs */
export const layoutSize = (layout: ParamLayout): number => {
  switch (layout.node) {
    case 'tensor':
      return layout.shape.reduce((n, d) => n * d, 1)
    case 'array':
      return layout.items.reduce((n, l) => n + layoutSize(l), 0)
    case 'record':
      return layout.fields.reduce((n, [, l]) => n + layoutSize(l), 0)
    case 'unknown':
      return NaN
  }
}

/** Whether a layout has a part only code knows (a custom layer). @category specs */
export const isLayoutKnown = (layout: ParamLayout): boolean => {
  switch (layout.node) {
    case 'tensor':
      return true
    case 'array':
      return layout.items.every(isLayoutKnown)
    case 'record':
      return layout.fields.every(([, l]) => isLayoutKnown(l))
    case 'unknown':
      return false
  }
}
