/**
 * Staging: trace a function to a typed program (a jaxpr-like value), print it, evaluate it,
 * simplify it. `trace(f)(...exampleArgs)` records the primitives `f` binds (through any `grad`,
 * `vjp`, `jvp` or `hvp` inside it) as a `Program`; `evaluate` runs a program by binding the same
 * primitives, so it is differentiable and traceable again; `show` prints it like a jaxpr.
 *
 * Laws (checked in properties/stage.test.ts):
 * 1. round trip: `evaluate(trace(f)(...xs))(...xs)` equals `f(...xs)` bit for bit.
 * 2. derivatives: `grad` and `jvp` of `evaluate(trace(f)(...xs))` equal those of `f`.
 * 3. dead code: `removeDeadCode(p)` evaluates to the same outputs as `p`.
 */
export * from './Program.js'
export { trace } from './trace.js'
export { evaluate } from './evaluate.js'
export { show } from './show.js'
export { removeDeadCode } from './deadCode.js'
export { type ProgramStats, programStats } from './stats.js'
export { StagingError } from './StagingError.js'
export { jit, sumStats, type Jitted, type JitStats } from './jit.js'
export type { JitValue } from './jitNumbers.js'
export { type HostNumber, type HostRead, type HostSession, hostSessionOf, isHostNumber, numbersIn, withNumbers } from './hostNumbers.js'
