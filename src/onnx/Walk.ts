/**
 * The state of reading an ONNX graph along its chain of values (`walkGraph.ts`), and what reading
 * one node gives (`readNode.ts`, `readImage.ts`).
 */
import type * as E from 'fp-ts/lib/Either.js'
import type { AnyLayer } from '../nn/index.js'
import type { Graph } from './decodeGraph.js'
import type { OnnxError } from './OnnxError.js'

/** A layer read, with its parameters; `undefined` for a node that is no layer (Identity, Flatten). @category internals */
export type Step = { readonly layer: AnyLayer; readonly params: unknown } | undefined

/** The state of the walk along the chain: the current value, its known dims after the batch axis. @category internals */
export interface Walk {
  readonly graph: Graph
  readonly value: string
  readonly dims: ReadonlyArray<number> | undefined
  /** 'nhwc' where purenet holds the value (NCHW images in the file) as NHWC images (`readImage.ts`); else rows in the file's order. */
  readonly layout?: 'nhwc'
}

/** A node (or a MatMul and its Add) read: the layer, the dims after it and the value it ends at. @category internals */
export type Read = E.Either<OnnxError, { readonly step: Step; readonly dims: ReadonlyArray<number> | undefined; readonly value: string; readonly layout?: 'nhwc' }>
