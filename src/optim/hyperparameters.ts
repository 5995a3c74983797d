/**
 * Checks of hyperparameters, done once when an optimizer or schedule is built so that a bad value
 * fails at construction with a message naming the function, the parameter and the usual range,
 * instead of as NaN parameters many steps later.
 */
import type { LearningRate, Schedule } from './Schedule.js'

const show = (value: unknown): string => (typeof value === 'number' ? String(value) : typeof value === 'function' ? 'a function' : `${typeof value} ${String(value)}`)

/** Throws unless `value` is a finite number with `value >= 0`. @category internals */
export const nonNegative = (op: string, name: string, value: number, hint = ''): number => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${op}: ${name} must be a non-negative finite number, got ${show(value)}${hint === '' ? '' : `; ${hint}`}`)
  }
  return value
}

/** Throws unless `value` is a finite number with `value > 0`. @category internals */
export const positive = (op: string, name: string, value: number, hint = ''): number => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${op}: ${name} must be a positive finite number, got ${show(value)}${hint === '' ? '' : `; ${hint}`}`)
  }
  return value
}

/** Throws unless `value` is a positive integer. @category internals */
export const positiveInteger = (op: string, name: string, value: number): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${op}: ${name} must be a positive integer (a number of steps), got ${show(value)}`)
  }
  return value
}

/** Throws unless `value` is a non-negative integer. @category internals */
export const nonNegativeInteger = (op: string, name: string, value: number): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RangeError(`${op}: ${name} must be a non-negative integer (a number of steps), got ${show(value)}`)
  }
  return value
}

/** Throws unless `value` is in [0, 1) (a decay rate: 1 would never forget). @category internals */
export const decayRate = (op: string, name: string, value: number, typical: string): number => {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new RangeError(`${op}: ${name} must be in [0, 1), got ${show(value)}; typical values are ${typical}`)
  }
  return value
}

/** Throws unless `value` is in [0, 1]. @category internals */
export const fraction = (op: string, name: string, value: number): number => {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new RangeError(`${op}: ${name} must be in [0, 1], got ${show(value)}`)
  }
  return value
}

/** Throws unless `value` is a boolean. @category internals */
export const flag = (op: string, name: string, value: boolean): boolean => {
  if (typeof value !== 'boolean') throw new TypeError(`${op}: ${name} must be true or false, got ${show(value)}`)
  return value
}

/**
 * The schedule of a learning rate: a number becomes a constant schedule (after checking that it is
 * a non-negative finite number), a function is returned as it is.
 * @category internals
 */
export const toSchedule = (op: string, learningRate: LearningRate, name = 'learningRate'): Schedule => {
  if (typeof learningRate === 'function') return learningRate
  const value = nonNegative(op, name, learningRate, typeof learningRate === 'number' && learningRate < 0 ? 'a learning rate is a step size; the sign of the step is the optimizer\'s' : 'e.g. 0.1 for SGD or 0.001 for Adam')
  return () => value
}
