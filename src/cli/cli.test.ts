/**
 * The `purenet` command, run as a child process exactly as a user runs it (`dist/cli/bin.js` with plain node): the happy
 * path of every command, resuming, and one case of each class of mistake, with its exit code and
 * message. Children run concurrently, in a few batches, to keep the suite short.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Run, binRunner } from './run.fixture.js'

const examples = fileURLToPath(new URL('../../examples/', import.meta.url))

let dir = ''
const run = binRunner(() => dir)

const spec = (layers: unknown[]): string => JSON.stringify({ kind: 'serial', layers })
const dense = (inSize: number, outSize: number): unknown => ({ kind: 'dense', inSize, outSize })

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'purenet-cli-'))
  for (const f of ['iris-train.csv', 'iris-test.csv', 'iris-unlabelled.csv']) await copyFile(join(examples, 'data', f), join(dir, f))
  await copyFile(join(examples, 'iris-spec.json'), join(dir, 'spec.json'))
  await writeFile(join(dir, 'bad-cell.csv'), 'sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n4.9,abc,1.4,0.2,setosa\n')
  await writeFile(join(dir, 'not-json.json'), '{"kind": "serial", "layers": [')
  await writeFile(join(dir, 'bad-spec.json'), spec([dense(4, 16), { kind: 'relu' }, dense(16, -3)]))
  await writeFile(join(dir, 'five-inputs.json'), spec([dense(5, 8), { kind: 'relu' }, dense(8, 3)]))
  await writeFile(join(dir, 'two-outputs.json'), spec([dense(4, 8), { kind: 'relu' }, dense(8, 2)]))
  await writeFile(join(dir, 'new-species.csv'), 'sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n6,3,4,1,orchid\n')
  await writeFile(join(dir, 'no-petals.csv'), 'sepal_length,sepal_width\n5.1,3.5\n')
  await writeFile(join(dir, 'regression.json'), spec([dense(3, 8), { kind: 'tanh' }, dense(8, 1)]))
  await mkdir(join(dir, 'empty-folder'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const trainArgs = ['train', '--model', 'spec.json', '--data', 'iris-train.csv', '--target', 'species', '--batch', '16', '--seed', '1']

/** A failure's output: the exit code, and that it is short and has no stack trace. */
const failed = (r: Run, code: 1 | 2): string => {
  expect(r.code, r.stderr).toBe(code)
  expect(r.stderr).not.toMatch(/^\s+at /m)
  if (code === 1) expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1)
  else expect(r.stderr).toContain('usage: purenet')
  return r.stderr.trimEnd().split('\n')[0]!
}

describe('purenet', () => {
  it('train, inspect, eval and predict: the happy path', async () => {
    const trained = await run(...trainArgs, '--epochs', '60', '--checkpoint', 'runs', '--checkpoint-every', '20', '--out', 'model.json')
    expect(trained.code, trained.stderr).toBe(0)
    expect(trained.stdout).toMatch(/^training serial\(dense\(4, 16\), relu, dense\(16, 3\)\) on 120 examples of iris-train.csv \(classification, 3 classes\): adam lr 0.01, batch 16, 60 epochs, seed 1$/m)
    expect(trained.stdout).toMatch(/^epoch 60\/60 {2}loss \d\.\d{4} {2}accuracy \d\.\d{4} {2}[\d,]+ samples\/s$/m)
    expect(trained.stdout).toMatch(/^trained 480 steps in [\d.]+ s \([\d,]+ samples\/s\)/m)
    expect(trained.stdout).toMatch(/^saved model.json \(epoch 60: loss \d\.\d{4}, training accuracy \d\.\d{4}\)$/m)

    const [inspected, evaluated, predicted, printed, checkpoint] = await Promise.all([
      run('inspect', 'model.json'),
      run('eval', '--model', 'model.json', '--data', 'iris-test.csv', '--target', 'species'),
      run('predict', '--model', 'model.json', '--data', 'iris-unlabelled.csv', '--out', 'predictions.csv'),
      run('predict', '--model', 'model.json', '--data', 'iris-test.csv'),
      run('inspect', 'runs/checkpoint-000000480.json'),
    ])
    expect(inspected.stdout).toContain([
      'architecture  serial(dense(4, 16), relu, dense(16, 3))',
      'layer             output       parameters  tensors',
      '[0] dense(4, 16)  [batch, 16]          80  w [4, 16] float32, b [16] float32',
      '[1] relu          [batch, 16]           0',
      '[2] dense(16, 3)  [batch, 3]           51  w [16, 3] float32, b [3] float32',
      'total                                 131',
      'training      480 steps, 60 epochs',
    ].join('\n'))
    expect(inspected.stdout).toContain('data          target "species" (classification: setosa, versicolor, virginica) from 4 features: sepal_length, sepal_width, petal_length, petal_width')
    expect(inspected.stdout).toContain('run           adam lr 0.01, batch 16, 60 epochs, seed 1')
    expect(checkpoint.stdout).toContain('checkpoint    after step 480; run key [0, 1], batch 16, 120 examples; optimizer state saved')

    expect(evaluated.stdout).toMatch(/^examples {2}30\nloss {6}\d\.\d{4}\naccuracy {2}\d\.\d{4} \(\d+ of 30\)\n$/)
    expect(Number(/accuracy {2}(\S+)/.exec(evaluated.stdout)![1])).toBeGreaterThanOrEqual(0.9)

    expect(predicted.stdout).toBe('wrote 30 predictions to predictions.csv\n')
    const rows = (await readFile(join(dir, 'predictions.csv'), 'utf8')).trimEnd().split('\n')
    expect(rows[0]).toBe('species,p(setosa),p(versicolor),p(virginica)')
    expect(rows).toHaveLength(31)
    expect(rows[1]).toMatch(/^setosa,(0\.9\d{3}|1\.0000),0\.\d{4},0\.\d{4}$/)
    // the labelled file predicts the same (its species column is ignored)
    expect(printed.stdout.trimEnd().split('\n')).toEqual(rows)
  })

  it('--resume continues a run to the same model, bit for bit', async () => {
    const [first, whole] = await Promise.all([
      run(...trainArgs, '--epochs', '30', '--checkpoint', 'resumed', '--checkpoint-every', '7', '--out', 'first.json'),
      run(...trainArgs, '--epochs', '50', '--out', 'whole.json'),
    ])
    expect([first.code, whole.code], first.stderr + whole.stderr).toEqual([0, 0])
    const again = await run(...trainArgs, '--epochs', '50', '--checkpoint', 'resumed', '--checkpoint-every', '7', '--resume', '--out', 'resumed.json')
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(/^resuming from resumed\/checkpoint-000000240.json \(step 240\)$/m)
    expect(again.stdout).toMatch(/^trained 160 steps/m)
    const doc = async (f: string): Promise<Record<string, unknown>> => JSON.parse(await readFile(join(dir, f), 'utf8')) as Record<string, unknown>
    const [a, b] = [await doc('resumed.json'), await doc('whole.json')]
    expect(a['params']).toEqual(b['params'])
    expect(a['history']).toEqual(b['history'])
    expect(a).toEqual(b)
    // without --resume, a folder with checkpoints is refused up front
    expect(failed(await run(...trainArgs, '--checkpoint', 'resumed', '--out', 'x.json'), 1)).toBe(
      'purenet train: resumed: the folder already holds checkpoints (the newest after step 400); pass --resume to continue that run, or give an empty folder',
    )
  })

  it('--resume refuses other rows, labels, columns or --lr (same number of rows), naming the difference', async () => {
    // 'resumed' is the previous test's run (the tests of a file run in order)
    const csv = (await readFile(join(dir, 'iris-train.csv'), 'utf8')).trimEnd().split('\n')
    const [header, ...rows] = csv as [string, ...string[]]
    await writeFile(join(dir, 'swapped.csv'), [header, rows[1], rows[0], ...rows.slice(2)].join('\n'))
    const relabelled = rows.map((r, i) => (i === 0 ? r.replace(/,[a-z]+$/, r.endsWith('setosa') ? ',versicolor' : ',setosa') : r))
    await writeFile(join(dir, 'relabelled.csv'), [header, ...relabelled].join('\n'))
    await writeFile(join(dir, 'renamed.csv'), [header.replace('sepal_length', 'sepal_len'), ...rows].join('\n'))
    const resumeArgs = (data: string, ...more: string[]): string[] =>
      ['train', '--model', 'spec.json', '--data', data, '--target', 'species', '--batch', '16', '--seed', '1', '--epochs', '60', '--checkpoint', 'resumed', '--checkpoint-every', '7', '--resume', '--out', 'never.json', ...more]
    const [swapped, relabelledRun, renamed, lr] = await Promise.all([
      run(...resumeArgs('swapped.csv')), run(...resumeArgs('relabelled.csv')), run(...resumeArgs('renamed.csv')), run(...resumeArgs('iris-train.csv', '--lr', '0.02')),
    ])
    const newest = 'resumed/checkpoint-000000400.json'
    expect(failed(swapped, 1)).toMatch(new RegExp(`^purenet train: ${newest}: the checkpoint was written for other data: its x \\(float32 \\[\\d+, 4\\]\\) has CRC-32 [0-9a-f]{8}, this run's [0-9a-f]{8}`))
    expect(failed(relabelledRun, 1)).toMatch(new RegExp(`^purenet train: ${newest}: the checkpoint was written for other data: its y`))
    expect(failed(renamed, 1)).toMatch(new RegExp(`^purenet train: ${newest}: settings.features: the checkpoint's run has \\["sepal_length",`))
    expect(failed(lr, 1)).toBe(`purenet train: ${newest}: settings.lr: the checkpoint's run has 0.01, this run 0.02; resume with the data and settings of the run that wrote the checkpoint, or start a new run in an empty folder`)
  })

  it('exits with 2 and the usage for a bad command line', async () => {
    const cases: ReadonlyArray<readonly [string[], string]> = [
      [[], 'usage: purenet <command> [options]'],
      [['fit'], 'purenet: unknown command "fit"; the commands are train, eval, predict, inspect and export'],
      [[...trainArgs, '--out', 'm.json', '--epoch', '5'], "purenet train: unknown flag --epoch"],
      [[...trainArgs, '--out', 'm.json', '--epochs', 'ten'], 'purenet train: --epochs: expected a positive integer in decimal digits, got "ten"'],
      [[...trainArgs, '--out', 'm.json', '--optimizer', 'rmsprop'], 'purenet train: --optimizer: expected one of adam, sgd, got "rmsprop"'],
      [[...trainArgs, '--out', 'm.json', '--lr'], "purenet train: Option '--lr <value>' argument missing"],
      [trainArgs, 'purenet train: --out <model.json> is required: where to save the trained model'],
      [[...trainArgs, '--out', 'm.json', '--resume'], 'purenet train: --resume needs --checkpoint <dir>, the folder of the run to continue'],
      [['eval', '--model', 'model.json', 'iris-test.csv'], 'purenet eval: unexpected word "iris-test.csv"; every value follows its flag (--name value)'],
      [['inspect'], 'purenet inspect: give the model file to inspect: purenet inspect <model.json>'],
    ]
    const results = await Promise.all(cases.map(([args]) => run(...args)))
    results.forEach((r, i) => expect(failed(r, 2), cases[i]![0].join(' ')).toBe(cases[i]![1]))
    const help = await run('train', '--help')
    expect([help.code, help.stdout.split('\n')[0]]).toEqual([0, 'usage: purenet train --model <spec.json> --data <train.csv> --target <column> --out <model.json> [options]'])
  })

  it('exits with 1 and one line naming the file for bad files and data', async () => {
    await writeFile(join(dir, 'truncated.json'), (await readFile(join(examples, 'iris-spec.json'), 'utf8')).slice(0, 40))
    // model.json is the happy path's (the tests of a file run in order)
    const model = await readFile(join(dir, 'model.json'), 'utf8')
    await writeFile(join(dir, 'wrong-shape.json'), model.replace('"shape": [4, 16]', '"shape": [4, 15]'))
    const cases: ReadonlyArray<readonly [string[], string | RegExp]> = [
      [['train', '--model', 'spec.json', '--data', 'missing.csv', '--target', 'species', '--out', 'm.json'], 'purenet train: missing.csv: cannot read the file: no such file or folder'],
      [['train', '--model', 'spec.json', '--data', 'bad-cell.csv', '--target', 'species', '--out', 'm.json'], 'purenet train: bad-cell.csv: line 3, column "sepal_width": "abc" is not a number'],
      [['train', '--model', 'spec.json', '--data', 'iris-train.csv', '--target', 'kind', '--out', 'm.json'], 'purenet train: iris-train.csv: no column named "kind"; columns are: sepal_length, sepal_width, petal_length, petal_width, species'],
      [['train', '--model', 'not-json.json', '--data', 'iris-train.csv', '--target', 'species', '--out', 'm.json'], /^purenet train: not-json.json: not valid JSON \(.*\); expected a layer spec such as/],
      [['train', '--model', 'bad-spec.json', '--data', 'iris-train.csv', '--target', 'species', '--out', 'm.json'], 'purenet train: bad-spec.json: layers[2].outSize: expected a positive integer, got -3'],
      [['train', '--model', 'five-inputs.json', '--data', 'iris-train.csv', '--target', 'species', '--out', 'm.json'], "purenet train: five-inputs.json: the network takes 5 inputs, but iris-train.csv has 4 feature columns (sepal_length, sepal_width, petal_length, petal_width); make the first layer's inSize 4"],
      [['train', '--model', 'two-outputs.json', '--data', 'iris-train.csv', '--target', 'species', '--out', 'm.json'], "purenet train: two-outputs.json: the network has 2 outputs, but the target \"species\" has 3 classes (setosa, versicolor, virginica); make the last layer's outSize 3"],
      [[...trainArgs, '--out', 'empty-folder'], 'purenet train: empty-folder: is a folder; --out takes the path of a file'],
      [['train', '--model', 'regression.json', '--data', 'iris-unlabelled.csv', '--target', 'petal_width', '--optimizer', 'sgd', '--lr', '1e6', '--out', 'm.json'], 'purenet train: training diverged at step 4: the loss is Infinity; try a smaller --lr (it is 1000000)'],
      [['eval', '--model', 'spec.json', '--data', 'iris-test.csv'], 'purenet eval: spec.json: format: missing; this is not a purenet model file (expected "format": "purenet-model")'],
      [['inspect', 'truncated.json'], /^purenet inspect: truncated.json: not valid JSON \(.*\); the file may be truncated or not a model file$/],
      [['eval', '--model', 'missing.json', '--data', 'iris-test.csv'], 'purenet eval: missing.json: cannot read the file: no such file or folder'],
    ]
    const dependent: ReadonlyArray<readonly [string[], string | RegExp]> = [
      [['eval', '--model', 'wrong-shape.json', '--data', 'iris-test.csv'], 'purenet eval: wrong-shape.json: params[0].w: shape [4, 15], expected [4, 16]; the parameters do not fit the architecture'],
      [['eval', '--model', 'model.json', '--data', 'new-species.csv'], 'purenet eval: new-species.csv: line 3, column "species": "orchid" is not one of the given classes (setosa, versicolor, virginica); add it to classes'],
      [['predict', '--model', 'model.json', '--data', 'no-petals.csv'], 'purenet predict: no-petals.csv: no column named "petal_length" (in features); columns are: sepal_length, sepal_width'],
    ]
    const all = [...cases, ...dependent]
    const results = await Promise.all(all.map(([args]) => run(...args)))
    results.forEach((r, i) => {
      const expected = all[i]![1]
      const line = failed(r, 1)
      if (typeof expected === 'string') expect(line, all[i]![0].join(' ')).toBe(expected)
      else expect(line, all[i]![0].join(' ')).toMatch(expected)
    })
  })
})
