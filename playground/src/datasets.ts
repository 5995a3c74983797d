// The playground's datasets: TensorFlow Playground's four (circle, XOR, two Gaussians, spirals),
// drawn with purenet's keyed random numbers so the same seed gives the same points, and a CSV
// the user drops in, decoded by purenet's data.fromCsv.
import * as E from 'fp-ts/lib/Either.js'
import { data, random, toFlatArray } from 'purenet/browser'

/** Points in the plane with labels 0 or 1. */
export interface Points {
  readonly x: ReadonlyArray<number> // 2 numbers per point
  readonly y: ReadonlyArray<number>
  readonly extent: readonly [number, number, number, number]
}

export type DatasetName = 'circle' | 'xor' | 'gaussians' | 'spirals'
export const datasetNames: ReadonlyArray<DatasetName> = ['circle', 'xor', 'gaussians', 'spirals']

const extent = [-6, 6, -6, 6] as const

// n uniform numbers in [0, 1) and n standard normal ones, from one key.
const draws = (seed: number, n: number): readonly [ReadonlyArray<number>, ReadonlyArray<number>] => {
  const [a, b] = random.split(random.key(seed), 2) as [random.Key, random.Key]
  return [toFlatArray(random.uniform(a, [n])), toFlatArray(random.normal(b, [n]))]
}

/** `n` points of a dataset with Gaussian noise of `noise` (0 to 1) times its scale. */
export const generate = (name: DatasetName, n: number, noise: number, seed: number): Points => {
  const [u, g] = draws(seed, 4 * n)
  const x: number[] = []
  const y: number[] = []
  const at = (i: number): number => u[i]!
  const gauss = (i: number): number => g[i]!
  for (let i = 0; i < n; i++) {
    const label = i % 2
    let p: [number, number]
    switch (name) {
      case 'circle': {
        const r = label === 1 ? 2.5 * at(4 * i) : 3.5 + 1.5 * at(4 * i)
        const angle = 2 * Math.PI * at(4 * i + 1)
        p = [r * Math.cos(angle), r * Math.sin(angle)]
        break
      }
      case 'xor': {
        const pad = 0.3
        const sx = at(4 * i) < 0.5 ? -1 : 1
        const sy = label === 1 ? sx : -sx
        p = [sx * (pad + 4.7 * at(4 * i + 1)), sy * (pad + 4.7 * at(4 * i + 2))]
        break
      }
      case 'gaussians': {
        const c = label === 1 ? 2 : -2
        p = [c + gauss(4 * i), c + gauss(4 * i + 1)]
        break
      }
      case 'spirals': {
        const t = (i >> 1) / (n / 2)
        const r = 5 * t
        const angle = 1.75 * t * 2 * Math.PI + label * Math.PI
        p = [r * Math.sin(angle), r * Math.cos(angle)]
        break
      }
    }
    x.push(p[0] + noise * 1.2 * gauss(4 * i + 2), p[1] + noise * 1.2 * gauss(4 * i + 3))
    y.push(label)
  }
  return { x, y, extent }
}

/**
 * Splits points into a training and a test part: of every `every` consecutive pairs of points
 * (the generators alternate the labels), the last pair is for testing, so both parts hold both classes.
 */
export const splitPoints = (p: Points, every: number): readonly [Points, Points] => {
  const pick = (test: boolean): Points => {
    const x: number[] = []
    const y: number[] = []
    p.y.forEach((label, i) => {
      if ((Math.floor(i / 2) % every === every - 1) === test) {
        x.push(p.x[2 * i]!, p.x[2 * i + 1]!)
        y.push(label)
      }
    })
    return { x, y, extent: p.extent }
  }
  return [pick(false), pick(true)]
}

/**
 * Points from CSV text: two numeric feature columns and a label column of two classes (the last
 * column, or one named `label`), with or without a header. The extent is the data's bounding box
 * with a margin. `Left` with a message naming the problem.
 */
export const fromCsvText = (text: string): E.Either<string, Points> => {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? ''
  const cells = firstLine.split(',')
  const header = cells.some((c) => c.trim() !== '' && !Number.isFinite(Number(c)))
  const target = header && cells.map((c) => c.trim()).includes('label') ? 'label' : cells.length - 1
  const decoded = data.fromCsv(text, { target, header, task: 'classification' })
  if (E.isLeft(decoded)) return E.left(decoded.left.message)
  const { dataset, features, classes } = decoded.right
  if (features.length !== 2) return E.left(`the playground draws two features in the plane; this CSV has ${features.length} (${features.join(', ')})`)
  if (classes === undefined || classes.length !== 2) return E.left(`the playground classifies two classes; this CSV's label column has ${classes?.length ?? 0}${classes === undefined ? '' : ` (${classes.slice(0, 5).join(', ')})`}`)
  const x = Array.from(toFlatArray(dataset.x))
  const y = Array.from(toFlatArray(dataset.y))
  const xs = x.filter((_, i) => i % 2 === 0)
  const ys = x.filter((_, i) => i % 2 === 1)
  const box = (v: number[]): [number, number] => {
    const lo = Math.min(...v)
    const hi = Math.max(...v)
    const margin = (hi - lo) * 0.1 || 1
    return [lo - margin, hi + margin]
  }
  return E.right({ x, y, extent: [...box(xs), ...box(ys)] })
}
