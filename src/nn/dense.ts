/**
 * The fully connected (affine) layer: y = x·w + b for a batch x of shape [batch, inSize].
 */
import { add, matmul } from '../ops/index.js'
import { type Key, split } from '../random/index.js'
import { type DType, type Tensor, ShapeError, showValue } from '../tensor/index.js'
import { type Initializer, type InitializerName, initializers } from './initializers.js'
import { type Layer, checkInput } from './Layer.js'
import { type LayerKindDefinition, layerKind, type SpecField, buildWith, dtypeField, isSpecSize, sizeField, specCodec } from './LayerKind.js'
import type { DenseSpec, InitializerSpec } from './LayerSpec.js'

/**
 * The parameters of `dense`: weights `w` of shape [inSize, outSize] and bias `b` of shape
 * [outSize]. A type alias, not an interface, so that it is assignable to `Tree`.
 * @example
 * ```ts
 * const p: nn.DenseParams = nn.dense(2, 3).init(random.key(0)) // { w: [2, 3], b: [3] }
 * ```
 * @category layers
 */
export type DenseParams = {
  readonly w: Tensor
  readonly b: Tensor
}

/**
 * Options of `dense`. @category layers
 * @example
 * ```ts
 * const options: nn.DenseOptions = { weights: 'heNormal', bias: 'zeros', dtype: 'float32' }
 * nn.dense(784, 128, options)
 * ```
 */
export interface DenseOptions {
  /** How to initialise `w`: 'glorotUniform' (default), 'heNormal' (for ReLU networks), 'zeros', or any initialiser. */
  readonly weights?: InitializerName | Initializer
  /** How to initialise `b` (default 'zeros'). */
  readonly bias?: InitializerName | Initializer
  /** The dtype of the parameters (default 'float32'; 'float64' for gradient checks). */
  readonly dtype?: DType
}

const checkSize = (what: string, n: number, name: string): void => {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${name}: ${what} must be a positive integer, got ${n}`)
}

/**
 * The initialiser of a name or function, for the layer `name`; a `RangeError` listing the names for an unknown one. @category initializers
 * @example
 * ```ts
 * const init = nn.resolveInitializer('dense(2, 3)', 'weights', 'heNormal') // the function; a bad name throws naming dense(2, 3)
 * ```
 */
export const resolveInitializer = (name: string, what: string, init: InitializerName | Initializer): Initializer => {
  if (typeof init === 'function') return init
  const found = (initializers as Readonly<Record<string, Initializer>>)[init]
  if (found === undefined) throw new RangeError(`${name}: unknown ${what} initialiser '${String(init)}'; use one of ${Object.keys(initializers).map((k) => `'${k}'`).join(', ')} or a function (key, shape, dtype) => Tensor`)
  return found
}

const checkParams = (name: string, params: DenseParams, inSize: number, outSize: number): void => {
  const { w, b } = params as Partial<DenseParams>
  if (w === undefined || b === undefined) throw new TypeError(`${name}: expected parameters { w, b }, got keys [${Object.keys(params).join(', ')}]; use the parameters this layer's init made`)
  if (w.shape.length !== 2 || w.shape[0] !== inSize || w.shape[1] !== outSize || b.shape.length !== 1 || b.shape[0] !== outSize) {
    throw new ShapeError(name, [w.shape, b.shape], `expected w of shape [${inSize}, ${outSize}] and b of shape [${outSize}]; use the parameters this layer's init made`)
  }
}

/**
 * A fully connected layer from `inSize` to `outSize` features: `apply({ w, b })(x) = x·w + b`,
 * with `w` of shape [inSize, outSize] and `b` of shape [outSize], for `x` of shape
 * [batch, inSize]. The sizes are kept as literal types, so `serial` can check them.
 *
 * `init` draws `w` (Glorot uniform by default) and `b` (zeros by default) from two keys split
 * from the one it is given. Its `spec` is `{ kind: 'dense', inSize, outSize, weights, bias, dtype }`,
 * with `'custom'` for an initialiser given as a function (which `fromSpec` cannot rebuild).
 * @example
 * ```ts
 * const layer = nn.dense(784, 128, { weights: 'heNormal' })
 * ```
 * @category layers
 */
export const dense = <In extends number, Out extends number>(inSize: In, outSize: Out, options: DenseOptions = {}): Layer<DenseParams, In, Out> => {
  const name = `dense(${inSize}, ${outSize})`
  checkSize('inSize', inSize, name)
  checkSize('outSize', outSize, name)
  const weights = resolveInitializer(name, 'weight', options.weights ?? 'glorotUniform')
  const bias = resolveInitializer(name, 'bias', options.bias ?? 'zeros')
  const dtype = options.dtype ?? 'float32'
  const specOf = (init: InitializerName | Initializer | undefined, fallback: InitializerName): InitializerSpec =>
    init === undefined ? fallback : typeof init === 'function' ? 'custom' : init
  const spec: DenseSpec = Object.freeze({
    kind: 'dense' as const, inSize, outSize, weights: specOf(options.weights, 'glorotUniform'), bias: specOf(options.bias, 'zeros'), dtype,
  })
  return Object.freeze({
    name,
    inSize,
    outSize,
    spec,
    init: (key: Key): DenseParams => {
      const [kw, kb] = split(key, 2) as [Key, Key]
      return Object.freeze({ w: weights(kw, [inSize, outSize], dtype), b: bias(kb, [outSize], dtype) })
    },
    apply: (params: DenseParams) => {
      checkParams(name, params, inSize, outSize)
      const { w, b } = params
      return (x: Tensor): Tensor => {
        checkInput(name, inSize, x)
        return add(matmul(x, w), b)
      }
    },
  })
}

const initializerNames: ReadonlyArray<InitializerName> = ['glorotUniform', 'heNormal', 'zeros']
const isInitializerName = (u: unknown): u is InitializerName => typeof u === 'string' && (initializerNames as ReadonlyArray<string>).includes(u)
/**
 * The codec of an optional initialiser field (`weights`, `bias`) of a layer spec. @category specs
 * @example
 * ```ts
 * nn.initializerField.codec.decode('heNormal') // Right('heNormal')
 * ```
 */
export const initializerField: SpecField<InitializerName> = Object.freeze({
  codec: specCodec('an initialiser name', isInitializerName, (u) =>
    u === 'custom'
      ? `the layer was initialised by a custom function, which a spec cannot carry; use one of ${initializerNames.map((n) => `"${n}"`).join(', ')}, or load the model with the network built in code (io.decodeModel(text, { net }))`
      : `expected one of ${initializerNames.map((n) => `"${n}"`).join(', ')}, got ${showValue(u)}`),
  optional: true as const,
})

/**
 * The fields of a dense spec as `fromSpec` decodes them: `weights`, `bias` and `dtype` may be left out. @category specs
 * @example
 * ```ts
 * const fields: nn.DenseFields = { inSize: 4, outSize: 3, weights: 'heNormal' }
 * ```
 */
export type DenseFields = {
  readonly inSize: number
  readonly outSize: number
  readonly weights?: InitializerName
  readonly bias?: InitializerName
  readonly dtype?: DType
}

/**
 * The layer kind `dense`: `{ kind: 'dense', inSize, outSize, weights?, bias?, dtype? }` (defaults
 * 'glorotUniform', 'zeros', 'float32'), parameters `{ w: [inSize, outSize], b: [outSize] }`,
 * which the budgets count (inSize · outSize + outSize) before anything is allocated.
 * @example
 * ```ts
 * const small = nn.layerRegistry([nn.denseKind]) // a registry that knows only dense
 * ```
 * @category specs
 */
export const denseKind: LayerKindDefinition<DenseFields, DenseSpec> = layerKind({
  kind: 'dense' as const,
  fields: { inSize: sizeField, outSize: sizeField, weights: initializerField, bias: initializerField, dtype: dtypeField },
  build: (f: DenseFields, context: { readonly path: string }) =>
    buildWith(context.path, () => dense(f.inSize, f.outSize, { weights: f.weights ?? 'glorotUniform', bias: f.bias ?? 'zeros', dtype: f.dtype ?? 'float32' })),
  layout: (spec: DenseSpec) => Object.freeze({
    node: 'record' as const,
    fields: Object.freeze([
      Object.freeze(['w', Object.freeze({ node: 'tensor' as const, shape: Object.freeze([spec.inSize, spec.outSize]), dtype: spec.dtype })] as const),
      Object.freeze(['b', Object.freeze({ node: 'tensor' as const, shape: Object.freeze([spec.outSize]), dtype: spec.dtype })] as const),
    ]),
  }),
  declares: (raw: Readonly<Record<string, unknown>>) => {
    const inSize = raw['inSize']
    const outSize = raw['outSize']
    return isSpecSize(inSize) && isSpecSize(outSize) ? { parameters: inSize * outSize + outSize, children: [], name: `dense(${inSize}, ${outSize})` } : { parameters: 0, children: [] }
  },
})
