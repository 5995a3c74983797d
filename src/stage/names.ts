/**
 * Short names of a program's variables, as a jaxpr prints them: a, b, ..., z, ba, bb, ...
 * (base 26 without a leading `a`), in the order the variables are defined.
 */

/** The name of the variable defined `index`-th (0 is `a`, 26 is `ba`). @category destructors */
export const varName = (index: number): string => {
  const letter = String.fromCharCode(97 + (index % 26))
  return index < 26 ? letter : varName(Math.floor(index / 26)) + letter
}

/** `f32[64,784]`: a dtype and shape as `show` prints them. @category destructors */
export const typeName = (dtype: 'float32' | 'float64', shape: ReadonlyArray<number>): string =>
  `${dtype === 'float32' ? 'f32' : 'f64'}[${shape.join(',')}]`
