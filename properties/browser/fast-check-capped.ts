/**
 * fast-check for the browser run of the property files: the same library, with every
 * `fc.assert` capped at `BROWSER_RUNS` runs (the Node run keeps the files' own sizes; the
 * browser run checks that the same laws hold on another engine, within a few seconds per file).
 * A failure is fast-check's own error: the counterexample, the seed and the path to replay it.
 */
// the real package: the bundle maps 'fast-check' here, except for this file's own import
import * as real from 'fast-check'

/** Runs per property in the browser. */
export const BROWSER_RUNS = 20

const assert: typeof real.assert = ((property: Parameters<typeof real.assert>[0], params?: Parameters<typeof real.assert>[1]) =>
  real.assert(property, { ...params, numRuns: Math.min(params?.numRuns ?? BROWSER_RUNS, BROWSER_RUNS) })) as typeof real.assert

const fc = { ...real, assert }
export default fc
export * from 'fast-check'
export { assert }
