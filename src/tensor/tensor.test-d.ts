/**
 * Type-level tests of tensors: checked by `tsc --noEmit -p .`. `toArray` with the rank the caller
 * expects gives arrays TypeScript can index; without it, `NestedArray`.
 */
import { expectTypeOf } from 'vitest'
import { type NestedArray, type Tensor, toArray } from './index.js'

declare const t: Tensor

expectTypeOf(toArray(t)).toEqualTypeOf<NestedArray>()
expectTypeOf(toArray(t, 0)).toEqualTypeOf<number>()
expectTypeOf(toArray(t, 1)).toEqualTypeOf<number[]>()
expectTypeOf(toArray(t, 2)).toEqualTypeOf<number[][]>()
expectTypeOf(toArray(t, 3)).toEqualTypeOf<number[][][]>()
expectTypeOf(toArray(t, 4)).toEqualTypeOf<number[][][][]>()

// rows of a matrix index without a cast
const rows = toArray(t, 2)
expectTypeOf(rows[0]![1]!).toEqualTypeOf<number>()

// @ts-expect-error NestedArray cannot be indexed twice (TS7053 without a rank)
void toArray(t)[0][1]

// @ts-expect-error ranks above 4 are not typed: use toArray(t) or reshape
void toArray(t, 5)
