/**
 * The command never destroys or mangles things: an output that is an input is refused (any
 * spelling, a symbolic link, a hard link), outputs are checked before training, names and
 * messages from files are printed escaped, a model's class labels must fit its network, saves
 * keep a file's mode and go through symbolic links and take 255-byte names, flags are strict.
 * Runs `main` in this process (cli.test.ts runs the executable itself), from the test's folder.
 */
import { chmod, copyFile, link, lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Run, runInProcess } from './run.fixture.js'

const examples = fileURLToPath(new URL('../../examples/', import.meta.url))

let dir = ''
let home = ''
const run = runInProcess

// the characters that act on a terminal (printable.ts escapes them)
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/
const train = (out: string, ...more: string[]): string[] => ['train', '--model', 'spec.json', '--data', 'd.csv', '--target', 'species', '--epochs', '1', '--out', out, ...more]

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'purenet-cli-safety-'))
  // the messages name paths as given: relative to the folder of the test (vitest runs files in forks)
  home = process.cwd()
  process.chdir(dir)
  await copyFile(join(examples, 'data', 'iris-train.csv'), join(dir, 'd.csv'))
  await copyFile(join(examples, 'data', 'iris-unlabelled.csv'), join(dir, 'x.csv'))
  await copyFile(join(examples, 'iris-spec.json'), join(dir, 'spec.json'))
  await symlink('d.csv', join(dir, 'd-link.csv'))
  await link(join(dir, 'd.csv'), join(dir, 'd-hard.csv'))
  await mkdir(join(dir, 'folder'))
  await writeFile(join(dir, 'huge.json'), JSON.stringify({ kind: 'serial', layers: [{ kind: 'dense', inSize: 4, outSize: 1e9 }, { kind: 'dense', inSize: 1e9, outSize: 3 }] }))
  const trained = await run(...train('m.json'))
  if (trained.code !== 0) throw new Error(trained.stderr)
  const model = JSON.parse(await readFile(join(dir, 'm.json'), 'utf8')) as { extra: Record<string, unknown> }
  const variant = async (name: string, extra: Record<string, unknown>): Promise<void> => writeFile(join(dir, name), JSON.stringify({ ...model, extra: { ...model.extra, ...extra } }))
  await variant('two-classes.json', { classes: ['setosa', 'versicolor'] })
  await variant('empty-label.json', { classes: ['setosa', '', 'virginica'] })
  await variant('same-label.json', { classes: ['setosa', 'setosa', 'virginica'] })
  await variant('escapes.json', { target: '\u001b[2J\u001b]0;x\u0007species', classes: ['set\u009bosa', 'versi\ncolor', 'virginica\u202e'], features: ['sepal_length', 'sepal_width', 'petal_length', 'petal\u001b[31m_width'] })
})
afterAll(async () => {
  process.chdir(home)
  await rm(dir, { recursive: true, force: true })
})

const failure = (r: Run, code: 1 | 2): string => {
  expect(r.code, r.stderr).toBe(code)
  expect(r.stderr).not.toMatch(/unexpected error|^\s+at /m)
  if (code === 1) expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1)
  return r.stderr.trimEnd().split('\n')[0]!
}

describe('purenet never writes over an input', () => {
  it('refuses --out that is --data or --model under any name, before reading anything, and leaves the input whole', async () => {
    const before = await readFile(join(dir, 'd.csv'))
    const cases: ReadonlyArray<readonly [string[], string]> = [
      [train('d.csv'), 'purenet train: --out d.csv is the same file as --data d.csv; writing there would destroy the input: give --out another path'],
      [train('./d.csv'), 'purenet train: --out ./d.csv is the same file as --data d.csv; writing there would destroy the input: give --out another path'],
      [train(join(dir, 'd.csv')), `purenet train: --out ${join(dir, 'd.csv')} is the same file as --data d.csv; writing there would destroy the input: give --out another path`],
      [train('d-link.csv'), 'purenet train: --out d-link.csv is the same file as --data d.csv; writing there would destroy the input: give --out another path'],
      [train('d-hard.csv'), 'purenet train: --out d-hard.csv is the same file as --data d.csv; writing there would destroy the input: give --out another path'],
      [train('spec.json'), 'purenet train: --out spec.json is the same file as --model spec.json; writing there would destroy the input: give --out another path'],
      [train('out.json', '--checkpoint', 'd.csv'), 'purenet train: --checkpoint d.csv is the same file as --data d.csv; writing there would destroy the input: give --checkpoint another path'],
      [['predict', '--model', 'm.json', '--data', 'x.csv', '--out', 'm.json'], 'purenet predict: --out m.json is the same file as --model m.json; writing there would destroy the input: give --out another path'],
      [['predict', '--model', 'm.json', '--data', 'x.csv', '--out', './x.csv'], 'purenet predict: --out ./x.csv is the same file as --data x.csv; writing there would destroy the input: give --out another path'],
    ]
    const results = await Promise.all(cases.map(([args]) => run(...args)))
    results.forEach((r, i) => {
      expect(failure(r, 1), cases[i]![0].join(' ')).toBe(cases[i]![1])
      expect(r.stdout).toBe('')
    })
    expect((await readFile(join(dir, 'd.csv'))).equals(before)).toBe(true)
    expect((await lstat(join(dir, 'd-link.csv'))).isSymbolicLink()).toBe(true)
  })

  it('checks every output before training: a missing folder, a folder as --out, a read-only folder', async () => {
    const cases: ReadonlyArray<readonly [string[], string]> = [
      [train('no-such-folder/m.json'), 'purenet train: no-such-folder/m.json: the folder no-such-folder does not exist; create it first'],
      [train('folder'), 'purenet train: folder: is a folder; --out takes the path of a file'],
      [train('ok.json', '--checkpoint', 'spec.json/runs'), `purenet train: spec.json/runs: ${join(dir, 'spec.json')} is not a folder; --checkpoint takes a folder`],
      [['predict', '--model', 'm.json', '--data', 'x.csv', '--out', 'no-such-folder/p.csv'], 'purenet predict: no-such-folder/p.csv: the folder no-such-folder does not exist; create it first'],
    ]
    const results = await Promise.all(cases.map(([args]) => run(...args)))
    results.forEach((r, i) => {
      expect(failure(r, 1), cases[i]![0].join(' ')).toBe(cases[i]![1])
      expect(r.stdout, 'nothing trained').toBe('')
    })
    // root may write anywhere, so a read-only folder only tells for other users
    if (process.getuid?.() !== 0) {
      await mkdir(join(dir, 'locked'))
      await chmod(join(dir, 'locked'), 0o555)
      const r = await run(...train('locked/m.json'))
      expect(failure(r, 1)).toBe('purenet train: locked/m.json: cannot write in the folder locked: permission denied')
      expect(r.stdout).toBe('')
      await chmod(join(dir, 'locked'), 0o755)
    }
  })
})

describe('purenet saves', () => {
  it('under a 255-byte name, keeping a 0600 mode, through a symbolic link', async () => {
    const long = `${'m'.repeat(250)}.json`
    const longCsv = `${'p'.repeat(251)}.csv`
    await writeFile(join(dir, 'private.json'), '')
    await chmod(join(dir, 'private.json'), 0o600)
    await symlink('private.json', join(dir, 'private-link.json'))
    const [a, b, c] = await Promise.all([
      run(...train(long)),
      run('predict', '--model', 'm.json', '--data', 'x.csv', '--out', longCsv),
      run(...train('private-link.json')),
    ])
    expect([a.code, b.code, c.code], a.stderr + b.stderr + c.stderr).toEqual([0, 0, 0])
    expect(JSON.parse(await readFile(join(dir, long), 'utf8'))).toHaveProperty('format', 'purenet-model')
    expect((await readFile(join(dir, longCsv), 'utf8')).split('\n')[0]).toBe('species,p(setosa),p(versicolor),p(virginica)')
    expect((await lstat(join(dir, 'private-link.json'))).isSymbolicLink()).toBe(true)
    expect((await stat(join(dir, 'private.json'))).mode & 0o777).toBe(0o600)
    expect(JSON.parse(await readFile(join(dir, 'private.json'), 'utf8'))).toHaveProperty('format', 'purenet-model')
  })
})

describe('purenet prints what a file holds escaped', () => {
  it('inspect, and messages quoting a file, show control characters as \\u escapes', async () => {
    const [inspected, evaluated, predicted] = await Promise.all([
      run('inspect', 'escapes.json'),
      run('eval', '--model', 'escapes.json', '--data', 'd.csv'),
      run('predict', '--model', 'escapes.json', '--data', 'x.csv'),
    ])
    expect(inspected.code, inspected.stderr).toBe(0)
    expect(inspected.stdout).toContain('data          target "\\u001b[2J\\u001b]0;x\\u0007species" (classification: set\\u009bosa, versi\\u000acolor, virginica\\u202e) from 4 features: sepal_length, sepal_width, petal_length, petal\\u001b[31m_width')
    for (const r of [inspected, evaluated, predicted]) {
      expect(r.stdout).not.toMatch(CONTROL)
      expect(r.stderr).not.toMatch(CONTROL)
    }
    expect(failure(evaluated, 1)).toBe('purenet eval: d.csv: no column named "\\u001b[2J\\u001b]0;x\\u0007species"; columns are: sepal_length, sepal_width, petal_length, petal_width, species')
    expect(failure(predicted, 1)).toMatch(/^purenet predict: x\.csv: .*\\u001b\[31m_width/)
  })
})

describe('purenet checks a model\'s class labels against its network', () => {
  it('refuses labels of the wrong count, empty or repeated, in predict and eval', async () => {
    const cases: ReadonlyArray<readonly [string[], string]> = [
      [['predict', '--model', 'two-classes.json', '--data', 'x.csv'], 'purenet predict: two-classes.json: extra.classes has 2 labels, but the network has 3 outputs (one per class); the model file is inconsistent: retrain it or correct extra.classes'],
      [['eval', '--model', 'two-classes.json', '--data', 'd.csv'], 'purenet eval: two-classes.json: extra.classes has 2 labels, but the network has 3 outputs (one per class); the model file is inconsistent: retrain it or correct extra.classes'],
      [['predict', '--model', 'empty-label.json', '--data', 'x.csv'], 'purenet predict: empty-label.json: extra.classes[1] is ""; a class label is a non-empty string'],
      [['eval', '--model', 'same-label.json', '--data', 'd.csv'], 'purenet eval: same-label.json: extra.classes[1] repeats the label "setosa"; class labels are distinct'],
    ]
    const results = await Promise.all(cases.map(([args]) => run(...args)))
    results.forEach((r, i) => {
      expect(failure(r, 1), cases[i]![0].join(' ')).toBe(cases[i]![1])
      expect(r.stdout).toBe('')
    })
  })
})

describe('purenet reads its command line strictly and reports what it cannot do', () => {
  it('a repeated flag and a number that is not plain decimal are usage errors naming the flag', async () => {
    const cases: ReadonlyArray<readonly [string[], string]> = [
      [[...train('a.json'), '--epochs', '2'], 'purenet train: --epochs is given more than once; give each flag once'],
      [train('a.json', '--batch', '0x3'), 'purenet train: --batch: expected a positive integer in decimal digits, got "0x3"'],
      [train('a.json', '--batch', '1e2'), 'purenet train: --batch: expected a positive integer in decimal digits, got "1e2"'],
      [train('a.json', '--batch', ' 3'), 'purenet train: --batch: expected a positive integer in decimal digits, got " 3"'],
      [train('a.json', '--batch', '3abc'), 'purenet train: --batch: expected a positive integer in decimal digits, got "3abc"'],
      [train('a.json', '--lr', '0x1'), 'purenet train: --lr: expected a positive decimal number (such as 0.01 or 1e-3), got "0x1"'],
      [['predict', '--model', 'm.json', '--model', 'm.json', '--data', 'x.csv'], 'purenet predict: --model is given more than once; give each flag once'],
    ]
    const results = await Promise.all(cases.map(([args]) => run(...args)))
    results.forEach((r, i) => expect(failure(r, 2), cases[i]![0].join(' ')).toBe(cases[i]![1]))
  })

  it('a network too big to allocate and an update that overflows end with one clear line, exit 1', async () => {
    const [huge, overflow] = await Promise.all([
      run('train', '--model', 'huge.json', '--data', 'd.csv', '--target', 'species', '--out', 'huge-out.json'),
      // unscaled features (the default standardises them), so the first update already overflows
      run(...train('overflow.json', '--optimizer', 'sgd', '--lr', '3e38', '--normalize', 'none')),
    ])
    expect(failure(huge, 1)).toMatch(/^purenet train: huge\.json: /)
    expect(failure(overflow, 1)).toBe('purenet train: training diverged at step 1: the update made the parameters or the optimizer state not finite; try a smaller --lr (it is 3e+38)')
    // no summary claims the run was done: the error is the last word
    expect(overflow.stdout).not.toMatch(/nothing to train|trained \d+ steps/)
  })
})
