/**
 * Type-level arithmetic on feature sizes, so that combinators that concatenate features
 * (`parallel`, `fanOut`) keep literal sizes: the sum of 3 and 4 is the type 7. Sums are done
 * digit by digit on the decimal strings of the literals, so they work for sizes of any length
 * without deep recursion; anything that is not a non-negative integer literal widens to `number`.
 */

type Reverse<S extends string, Acc extends string = ''> = S extends `${infer H}${infer T}` ? Reverse<T, `${H}${Acc}`> : Acc

type Ones<N extends number, Acc extends ReadonlyArray<0> = []> = Acc['length'] extends N ? Acc : Ones<N, [...Acc, 0]>

type DigitValue<D extends string> = D extends `${infer N extends number}` ? N : 0

// [digit, carry] of a + b + carry for decimal digits a and b
type DigitSum<A extends string, B extends string, C extends 0 | 1> =
  [...Ones<DigitValue<A>>, ...Ones<DigitValue<B>>, ...Ones<C>] extends infer S extends ReadonlyArray<0>
    ? S extends readonly [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...infer R extends ReadonlyArray<0>]
      ? readonly [`${R['length']}`, 1]
      : readonly [`${S['length']}`, 0]
    : never

// Adds two reversed digit strings (least significant digit first), returning the reversed sum.
type AddReversed<A extends string, B extends string, C extends 0 | 1 = 0, Acc extends string = ''> =
  A extends `${infer a}${infer ar}`
    ? B extends `${infer b}${infer br}` ? Next<DigitSum<a, b, C>, ar, br, Acc> : Next<DigitSum<a, '0', C>, ar, '', Acc>
    : B extends `${infer b}${infer br}` ? Next<DigitSum<'0', b, C>, '', br, Acc>
    : C extends 1 ? `${Acc}1` : Acc

type Next<D, A extends string, B extends string, Acc extends string> =
  D extends readonly [infer d extends string, infer c extends 0 | 1] ? AddReversed<A, B, c, `${Acc}${d}`> : never

type IsNatural<N extends number> = number extends N ? false : `${N}` extends `${bigint}` ? (`${N}` extends `-${string}` ? false : true) : false

/**
 * The sum of two size types: a literal when both are non-negative integer literals, `number` otherwise. @category model
 * @example
 * ```ts
 * type Total = nn.AddSizes<128, 64> // 192
 * const total: Total = 192
 * ```
 */
export type AddSizes<A extends number, B extends number> =
  [A] extends [never] ? never
  : IsNatural<A> extends true ? IsNatural<B> extends true
    ? Reverse<AddReversed<Reverse<`${A}`>, Reverse<`${B}`>>> extends `${infer N extends number}` ? N : number
    : number : number

/**
 * The sum of a tuple of size types. @category model
 * @example
 * ```ts
 * type Total = nn.SumSizes<[2, 3, 4]> // 9
 * const total: Total = 9
 * ```
 */
export type SumSizes<Ns extends ReadonlyArray<number>, Acc extends number = 0> =
  Ns extends readonly [infer H extends number, ...infer T extends ReadonlyArray<number>] ? SumSizes<T, AddSizes<Acc, H>> : Ns extends readonly [] ? Acc : number
