/**
 * The embedding layer: a learned table of `dim`-vectors, one per token of a vocabulary, looked up
 * at integer indices (`ops.gather`).
 */
import { gather, reshape } from '../ops/index.js'
import type { Key } from '../random/index.js'
import { type DType, ShapeError, type Tensor } from '../tensor/index.js'
import { initializerField, resolveInitializer } from './dense.js'
import type { Initializer, InitializerName } from './initializers.js'
import type { Layer } from './Layer.js'
import { type LayerKindDefinition, buildWith, dtypeField, isSpecSize, layerKind, sizeField } from './LayerKind.js'
import type { EmbeddingSpec, InitializerSpec } from './LayerSpec.js'

/**
 * The parameters of `embedding`: the table [vocab, dim]. @category layers
 * @example
 * ```ts
 * const p: nn.EmbeddingParams = nn.embedding(65, 16).init(random.key(0)) // { table: [65, 16] }
 * ```
 */
export type EmbeddingParams = {
  readonly table: Tensor
}

/**
 * Options of `embedding`. @category layers
 * @example
 * ```ts
 * const options: nn.EmbeddingOptions = { length: 32 }
 * nn.embedding(65, 16, options)
 * ```
 */
export interface EmbeddingOptions {
  /** Tokens per example (default 1): the input is [batch, length]. */
  readonly length?: number
  /** How to initialise the table (default 'glorotUniform'). */
  readonly weights?: InitializerName | Initializer
  readonly dtype?: DType
}

/**
 * An embedding of a vocabulary of `vocab` tokens in `dim` dimensions: for token indices
 * [batch, length] (whole numbers in [0, vocab); [batch] when length is 1), `apply({ table })(x)`
 * is `table[x]`, of shape [batch, length, dim]. Its sizes are length and length · dim. PyTorch's
 * `nn.Embedding(vocab, dim)`, Keras's `Embedding(vocab, dim)`; the gradient of a row counts each
 * use (`ops.scatterAdd`).
 * @example
 * ```ts
 * const net = nn.serial(nn.embedding(65, 16, { length: 32 }), nn.flatten, nn.dense(512, 65))
 * ```
 * @category layers
 */
export const embedding = (vocab: number, dim: number, options: EmbeddingOptions = {}): Layer<EmbeddingParams, number, number> => {
  const length = options.length ?? 1
  const name = `embedding(${vocab}, ${dim}${length === 1 ? '' : `, length ${length}`})`
  for (const [what, n] of [['vocab', vocab], ['dim', dim], ['length', length]] as const) {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${name}: ${what} must be a positive integer, got ${n}`)
  }
  const weights = resolveInitializer(name, 'table', options.weights ?? 'glorotUniform')
  const dtype = options.dtype ?? 'float32'
  const w = options.weights
  const spec: EmbeddingSpec = Object.freeze({
    kind: 'embedding' as const, vocab, dim, length, dtype,
    weights: (w === undefined ? 'glorotUniform' : typeof w === 'function' ? 'custom' : w) as InitializerSpec,
  })
  return Object.freeze({
    name,
    inSize: length,
    outSize: length * dim,
    spec,
    init: (key: Key): EmbeddingParams => Object.freeze({ table: weights(key, [vocab, dim], dtype) }),
    apply: (params: EmbeddingParams) => {
      const { table } = params as Partial<EmbeddingParams>
      if (table === undefined || table.shape.length !== 2 || table.shape[0] !== vocab || table.shape[1] !== dim) {
        throw new ShapeError(name, table === undefined ? [] : [table.shape], `expected parameters { table } with table of shape [${vocab}, ${dim}]; use the parameters this layer's init made`)
      }
      return (x: Tensor): Tensor => {
        const ok = (x.shape.length === 2 && x.shape[1] === length) || (x.shape.length === 1 && length === 1)
        if (!ok) throw new ShapeError(name, [x.shape], `expects token indices [batch, ${length}]${length === 1 ? ' or [batch]' : ''}`)
        const y = gather(table, x)
        return x.shape.length === 1 ? reshape(y, [x.shape[0]!, 1, dim]) : y
      }
    },
  })
}

/**
 * The fields of an embedding spec as `fromSpec` decodes them. @category specs
 * @example
 * ```ts
 * const fields: nn.EmbeddingFields = { vocab: 65, dim: 16, length: 32 }
 * ```
 */
export type EmbeddingFields = {
  readonly vocab: number
  readonly dim: number
  readonly length?: number
  readonly weights?: InitializerName
  readonly dtype?: DType
}

/**
 * The layer kind `embedding`: `{ kind: 'embedding', vocab, dim, length?, weights?, dtype? }`, parameters `{ table: [vocab, dim] }`. @category specs
 * @example
 * ```ts
 * nn.embeddingKind.kind // 'embedding'
 * ```
 */
export const embeddingKind: LayerKindDefinition<EmbeddingFields, EmbeddingSpec> = layerKind({
  kind: 'embedding' as const,
  fields: { vocab: sizeField, dim: sizeField, length: { ...sizeField, optional: true as const }, weights: initializerField, dtype: dtypeField },
  build: (f: EmbeddingFields, context: { readonly path: string }) =>
    buildWith(context.path, () => embedding(f.vocab, f.dim, { length: f.length ?? 1, weights: f.weights ?? 'glorotUniform', dtype: f.dtype ?? 'float32' })),
  layout: (spec: EmbeddingSpec) => Object.freeze({
    node: 'record' as const,
    fields: Object.freeze([Object.freeze(['table', Object.freeze({ node: 'tensor' as const, shape: Object.freeze([spec.vocab, spec.dim]), dtype: spec.dtype })] as const)]),
  }),
  declares: (raw: Readonly<Record<string, unknown>>) => {
    const v = raw['vocab'], d = raw['dim']
    return isSpecSize(v) && isSpecSize(d) ? { parameters: v * d, children: [], name: `embedding(${v}, ${d})` } : { parameters: 0, children: [] }
  },
})

