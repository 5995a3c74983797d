/**
 * The data of a staged value. Inside `trace`, every value derived from the arguments carries its
 * example numbers (the kernels run on the example arguments while the program is recorded, which
 * gives each variable its shape and dtype and runs every shape check). Those numbers belong to
 * one example: a traced function that reads them, to branch or to loop, would bake one example's
 * path into a program that claims to hold for every argument of those shapes. So the data of a
 * staging tracer is a guarded view: a proxy of the typed array that answers `instanceof`
 * (so `isTensor` and the other traces' tracers, which copy `data` from their primal, keep working),
 * its length and its dtype, and throws a `StagingError` on any read of an element.
 */
import type { Data } from '../tensor/index.js'
import { StagingError } from './StagingError.js'

// What may be read without reading a number: the array's size and type.
const harmless: ReadonlySet<PropertyKey> = new Set<PropertyKey>(['length', 'byteLength', 'BYTES_PER_ELEMENT', 'constructor', Symbol.toStringTag])

const describeRead = (key: PropertyKey): string => {
  if (typeof key === 'string' && /^\d+$/.test(key)) return `element ${key} of its data`
  if (key === Symbol.iterator) return 'its data as an iterable (Array.from, for...of, spreading)'
  return `its data's ${String(key)}`
}

// The functions that made the read, from the stack (best effort: V8's "at name (file...)"
// frames): the reading function and, when it is a helper, the function that called it.
const reader = (stack: string | undefined): string | undefined => {
  // frame 0 is the message, frame 1 the proxy's trap
  const names: string[] = []
  for (const frame of stack?.split('\n').slice(2, 5) ?? []) {
    const name = /^\s*at (?:new )?([\w$.]+) [(]/.exec(frame)?.[1]
    if (name === undefined || name.startsWith('Object.') || name === 'Proxy') break
    if (names[names.length - 1] !== name) names.push(name)
  }
  return names.length === 0 ? undefined : names.length === 1 ? names[0] : `${names[0]}, in ${names[1]}`
}

/**
 * A view of `data` that throws on every element read while `active()` holds. `what` says which
 * staged value it is (its variable and the primitive that made it), for the message.
 * @category internals
 */
export const guardData = (data: Data, what: () => string, active: () => boolean): Data =>
  new Proxy(data, {
    get: (target, key) => {
      if (harmless.has(key)) return Reflect.get(target, key)
      if (!active()) {
        // a value kept past the end of its trace is its example value: read it freely
        const v: unknown = Reflect.get(target, key)
        return typeof v === 'function' ? v.bind(target) : v
      }
      const by = reader(new Error().stack)
      throw new StagingError(
        `trace: ${describeRead(key)}${by === undefined ? '' : ` (read by ${by})`} was read from ${what()} while tracing. ` +
          'A traced function sees only the shapes and dtypes of its values, not their numbers, so an `if`, a loop or a ' +
          'JavaScript computation on them (item, toArray, allFinite, .data[i]) cannot be staged. Select element-wise with ' +
          '`ops.where(condition, a, b)` instead of branching on a value, or compute the value outside the traced function ' +
          'and pass it as an argument.',
      )
    },
  })
