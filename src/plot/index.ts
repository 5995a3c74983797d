/**
 * Plots as data: every function here returns a Vega-Lite specification, a plain readonly JSON
 * value (`VegaLiteSpec`), computed from purenet's own values (training histories, activations and
 * their `grad`, classifiers, optimizer paths, loss landscapes). Specs are easy to test, to edit
 * with a spread, and to compose (`hconcat`, `vconcat`); nothing here imports Vega or Node, so
 * this namespace runs in a browser.
 *
 * Drawing is separate: `./render.js` (Node only, not re-exported here) renders a spec to SVG with
 * the `vega` and `vega-lite` packages; in a page, vega-embed draws the same spec.
 *
 * Staged programs are graphs, not charts: `program` and `gradProgram` draw them straight to an SVG
 * string, laid out by dagre (pure JavaScript, so they too run in a browser).
 *
 * Conventions of every plot: a title, a title on every axis, a plot area at least 400 px on its
 * long side (panels of small multiples about 300 px), a white background, colors explained by a
 * legend or a subtitle.
 */
export * from './VegaLiteSpec.js'
export { exponentialMovingAverage } from './smooth.js'
export { type Grid, type Isoline, checkGrid, contourLevels, extent, isolines, linspace } from './contours.js'
export type { Domain } from './fieldLayers.js'
export { type EpochSummary, type Run, type TrainingCurvesOptions, trainingCurves } from './trainingCurves.js'
export {
  type ActivationFunction, type ActivationsOptions, activationSamples, activations, derivativeCurve, functionCurve, standardActivations,
} from './activations.js'
export { type DecisionRegionsOptions, decisionRegions } from './decisionRegions.js'
export { type Surface, type TestSurface, beale, coordinate, rosenbrock, saddle, sampleSurface, testSurfaces } from './surfaces.js'
export { type OptimizerPath, type OptimizerPathsOptions, optimizerPaths } from './optimizerPaths.js'
export { type LossLandscape1dOptions, type LossLandscape2dOptions, lossLandscape1d, lossLandscape2d } from './lossLandscape.js'
export {
  type ProgramEdge, type ProgramGraph, type ProgramLayoutOptions, type ProgramNode, type ProgramNodeKind, programGraph,
} from './programLayout.js'
export { type GradProgram, type ProgramPlotOptions, drawProgramGraph, gradProgram, program, traceGrad } from './program.js'
