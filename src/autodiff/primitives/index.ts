/**
 * The table of primitives: every operation that has derivative rules of its own. Interpreters
 * dispatch on these values; the property suite walks this table, and a meta-test checks that
 * each entry is exported and covered.
 */
import { abs } from './abs.js'
import { reluBackward, sigmoidBackward, tanhBackward } from './activationBackward.js'
import { add } from './add.js'
import { atan } from './atan.js'
import { broadcastTo } from './broadcastTo.js'
import { cast } from './cast.js'
import { concat } from './concat.js'
import { cos } from './cos.js'
import { div } from './div.js'
import { equal } from './equal.js'
import { exp } from './exp.js'
import { greater } from './greater.js'
import { log } from './log.js'
import { logSoftmax } from './logSoftmax.js'
import { logSumExp } from './logSumExp.js'
import { matmul } from './matmul.js'
import { max } from './max.js'
import { maximum } from './maximum.js'
import { mul } from './mul.js'
import { neg } from './neg.js'
import { pad } from './pad.js'
import { pow } from './pow.js'
import { relu } from './relu.js'
import { reshape } from './reshape.js'
import { sigmoid } from './sigmoid.js'
import { sign } from './sign.js'
import { sin } from './sin.js'
import { slice } from './slice.js'
import { softmax } from './softmax.js'
import { softplus } from './softplus.js'
import { sqrt } from './sqrt.js'
import { square } from './square.js'
import { step } from './step.js'
import { stopGradient } from './stopGradient.js'
import { sub } from './sub.js'
import { sum } from './sum.js'
import { tanh } from './tanh.js'
import { transpose } from './transpose.js'
import { where } from './where.js'

/** Every primitive, by name. @category primitives */
export const primitives = {
  abs, add, atan, broadcastTo, cast, concat, cos, div, equal, exp, greater, log, logSoftmax, logSumExp,
  matmul, max, maximum, mul, neg, pad, pow, relu, reluBackward, reshape, sigmoid, sigmoidBackward, sign, sin, slice, softmax, softplus,
  sqrt, square, step, stopGradient, sub, sum, tanh, tanhBackward, transpose, where,
} as const

export {
  abs, add, atan, broadcastTo, cast, concat, cos, div, equal, exp, greater, log, logSoftmax, logSumExp,
  matmul, max, maximum, mul, neg, pad, pow, relu, reluBackward, reshape, sigmoid, sigmoidBackward, sign, sin, slice, softmax, softplus,
  sqrt, square, step, stopGradient, sub, sum, tanh, tanhBackward, transpose, where,
}
export type { MatmulOptions } from './matmul.js'
