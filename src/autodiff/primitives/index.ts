/**
 * The list of public primitives: every operation that has derivative rules of its own, one line
 * each. This list is the one place a primitive is registered: `ops` re-exports it whole
 * (`export *`), the table `primitives` (table.ts) is built from it, and the law table in
 * properties/primitives.test.ts must cover every key of that table (the type checker and a
 * meta-test insist). Adding a primitive = its file + one line here (+ its law).
 *
 * Two pairs share a file because each member's rule uses the other: `sin`/`cos`, `slice`/`pad`
 * (and `sum`/`broadcastTo`, `extractPatches`/`foldPatches`, `gather`/`scatterAdd`, each the other's transpose). Internal fused rules that are not public
 * (`reluBackward`, ...) are listed in table.ts instead.
 */
export { abs } from './abs.js'
export { add } from './add.js'
export { atan } from './atan.js'
export { batchedMatmul, type BatchedMatmulOptions } from './batchedMatmul.js'
export { broadcastTo } from './sumBroadcast.js'
export { cast } from './cast.js'
export { concat } from './concat.js'
export { conv2d, type Conv2dOptions } from './conv2d.js'
export { cos } from './sinCos.js'
export { div } from './div.js'
export { equal } from './equal.js'
export { exp } from './exp.js'
export { extractPatches, type Padding, type Pair, type WindowOptions } from './patches.js'
export { foldPatches } from './patches.js'
export { gather } from './gather.js'
export { greater } from './greater.js'
export { log } from './log.js'
export { logSoftmax } from './logSoftmax.js'
export { logSumExp } from './logSumExp.js'
export { matmul, type MatmulOptions } from './matmul.js'
export { max } from './max.js'
export { maximum } from './maximum.js'
export { mul } from './mul.js'
export { pad } from './slicePad.js'
export { pow } from './pow.js'
export { relu } from './relu.js'
export { reshape } from './reshape.js'
export { scatterAdd } from './gather.js'
export { sigmoid } from './sigmoid.js'
export { sign } from './sign.js'
export { sin } from './sinCos.js'
export { slice } from './slicePad.js'
export { softmax } from './softmax.js'
export { softplus } from './softplus.js'
export { sqrt } from './sqrt.js'
export { square } from './square.js'
export { stopGradient } from './stopGradient.js'
export { sub } from './sub.js'
export { sum } from './sumBroadcast.js'
export { tanh } from './tanh.js'
export { transpose } from './transpose.js'
export { where } from './where.js'
