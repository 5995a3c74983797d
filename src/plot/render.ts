/**
 * Node-only: renders Vega-Lite specs to SVG with the `vega` and `vega-lite` packages (no canvas,
 * no browser) and writes them to files. This is the one file of `src/plot/` that imports Node
 * modules or Vega; `index.ts` does not re-export it, so the rest of purenet stays browser-safe and
 * does not load Vega. Import it from `purenet/plot/render`; `vega` and `vega-lite` are optional peer
 * dependencies of the package, loaded on the first render (a missing one is a clear error then).
 *
 * Without a canvas, Vega estimates text widths from character counts, so labels may sit a few
 * pixels off; nothing is clipped because the SVG is sized to its content (`autosize: pad`).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type * as Vega from 'vega'
import type * as VegaLite from 'vega-lite'
import type { VegaLiteSpec } from './VegaLiteSpec.js'

/** Options of `renderSvg`. @category rendering */
export interface RenderOptions {
  /**
   * Called with each warning of Vega-Lite's compiler or Vega's runtime (an unknown property, a
   * scale that cannot hold the data); by default warnings go to `console.warn`.
   */
  readonly onWarning?: (message: string) => void
}

// Vega's loggers are level-filtered objects; this one forwards warnings and errors and nothing
// else, so a test can collect them.
const logger = (vega: typeof Vega, onWarning: (message: string) => void): Vega.LoggerInterface => {
  const forward = (...args: readonly unknown[]): void => onWarning(args.map(String).join(' '))
  let level = vega.Warn
  const self: Vega.LoggerInterface = {
    // `level` is overloaded (a getter without an argument, a setter with one); one arrow function
    // implements both but cannot be typed as the overload set without this cast.
    level: ((l?: number) => {
      if (l === undefined) return level
      level = l
      return self
    }) as Vega.LoggerInterface['level'],
    error: (...args: readonly unknown[]) => { forward(...args); return self },
    warn: (...args: readonly unknown[]) => { forward(...args); return self },
    info: () => self,
    debug: () => self,
  }
  return self
}

// Vega writes path coordinates with full double precision; a hundredth of a pixel is invisible
// and rounding to it halves the size of heat maps made of thousands of rectangles.
const roundPathData = (svg: string): string =>
  svg.replace(/ d="([^"]*)"/g, (_, d: string) => ` d="${d.replace(/-?\d+\.\d{3,}/g, (n) => String(Math.round(Number(n) * 100) / 100))}"`)

const isMissingModule = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && 'code' in e && (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND')

/** Loads the optional peers, or says how to install them. */
const loadVega = async (): Promise<readonly [typeof Vega, typeof VegaLite]> => {
  try {
    return await Promise.all([import('vega'), import('vega-lite')])
  } catch (e) {
    if (isMissingModule(e)) {
      throw new Error('purenet/plot/render needs the packages vega and vega-lite (optional peer dependencies of purenet): npm install vega vega-lite', { cause: e })
    }
    throw e
  }
}

/**
 * Renders a Vega-Lite spec to an SVG document (a string starting with `<svg`).
 * Compiles with Vega-Lite, runs the Vega dataflow headless (`renderer: 'none'`), serialises SVG.
 * @category rendering
 */
export const renderSvg = async (spec: VegaLiteSpec, options: RenderOptions = {}): Promise<string> => {
  const onWarning = options.onWarning ?? ((message: string) => console.warn(`plot.renderSvg: ${message}`))
  const [vega, vegaLite] = await loadVega()
  const log = logger(vega, onWarning)
  // VegaLiteSpec is JSON typed loosely on purpose (see VegaLiteSpec.ts); Vega-Lite checks the
  // structure itself when compiling and reports problems through the logger.
  const compiled = vegaLite.compile(spec as unknown as VegaLite.TopLevelSpec, { logger: log }).spec
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger: log })
  try {
    return roundPathData(await view.toSVG())
  } finally {
    view.finalize()
  }
}

/** Renders a Vega-Lite spec to SVG and writes it to `path`, creating the folder if needed. @category rendering */
export const writeSvg = async (path: string, spec: VegaLiteSpec, options: RenderOptions = {}): Promise<void> => {
  const svg = await renderSvg(spec, options)
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, svg, 'utf8')
}
