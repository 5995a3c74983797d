/**
 * Layers and combinators. A layer is a value `{ name, inSize, outSize, init, apply }`:
 * `init(key)` makes its parameters (a frozen tree), `apply(params)(x, ctx?)` maps a batch
 * `[batch, inSize]` to `[batch, outSize]`. Layers are built from ops only, so they work on
 * tensors and on the tracers of `grad`/`jvp` alike. Feature sizes are literal types when known,
 * so `serial` rejects mismatched neighbours at compile time, and at run time with a `ShapeError`.
 * The contract and its laws are in `Layer.ts`. Every layer has a `spec`, plain JSON data that
 * `fromSpec` turns back into the layer (`LayerSpec.ts`, `fromSpec.ts`), reading a registry of
 * layer kinds (`LayerKind.ts`, `registry.ts`) that users extend with kinds of their own.
 */
export * from './Layer.js'
export * from './initializers.js'
export * from './dense.js'
export * from './activations.js'
export * from './dropout.js'
export * from './images.js'
export * from './conv2d.js'
export * from './pools.js'
export * from './flatten.js'
export * from './channels.js'
export * from './embedding.js'
export * from './layerNorm.js'
export * from './gru.js'
export * from './lstm.js'
export * from './batchNorm.js'
export { type Serial, type SerialChain, type SerialParams, serial } from './serial.js'
export * from './parallel.js'
export * from './residual.js'
export type { AddSizes, SumSizes } from './sizes.js'
export * from './LayerSpec.js'
export * from './fromSpec.js'
export * from './LayerKind.js'
export * from './registry.js'
export * from './paramLayout.js'
export * from './predict.js'
export * from './summary.js'
