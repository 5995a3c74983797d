/**
 * A child of bench/hostile-files.ts: reads one CSV file through the `purenet` command's streaming
 * reader (`readTrainingData`: chunks into `data.csvDecoder`) and prints the rows, the columns and
 * the time, so the parent can measure its peak memory alone.
 *
 *   node --import tsx bench/csv-child.ts big.csv
 */
import * as E from 'fp-ts/lib/Either.js'
import { readTrainingData } from '../src/cli/tabular.js'

const path = process.argv[2] ?? ''
const started = performance.now()
const r = await readTrainingData(path, 'label', 'auto')
const seconds = (performance.now() - started) / 1000
if (E.isLeft(r)) {
  process.stdout.write(`refused: ${r.left.message}\n`)
  process.exit(1)
}
const { x, y } = r.right.dataset
process.stdout.write(`${x.shape[0]} rows, x [${x.shape.join(', ')}] ${x.dtype}, y [${y.shape.join(', ')}], classes ${r.right.classes?.join('/') ?? '-'}, decoded in ${seconds.toFixed(1)} s\n`)
