/**
 * `purenet export`, and `.onnx` files in `train`, `eval`, `predict` and `inspect`, on the Iris
 * tutorial's model, run as the compiled bin exactly as a user runs it.
 */
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runOnnx } from '../onnx/fixtures/ort.js'
import { importModel } from '../onnx/index.js'
import { binRunner } from './run.fixture.js'

const examples = fileURLToPath(new URL('../../examples/', import.meta.url))
const pytorch = fileURLToPath(new URL('../onnx/fixtures/pytorch/', import.meta.url))

let dir = ''
const run = binRunner(() => dir)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'purenet-onnx-cli-'))
  for (const f of ['iris-train.csv', 'iris-test.csv', 'iris-unlabelled.csv']) await copyFile(join(examples, 'data', f), join(dir, f))
  await copyFile(join(examples, 'iris-spec.json'), join(dir, 'spec.json'))
  for (const f of ['mlp-relu.onnx', 'cnn-small.onnx']) await copyFile(join(pytorch, f), join(dir, f))
  const trained = await run('train', '--model', 'spec.json', '--data', 'iris-train.csv', '--target', 'species', '--epochs', '30', '--seed', '1', '--out', 'iris.json')
  expect(trained.code, trained.stderr).toBe(0)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('purenet export and .onnx models', () => {
  it('export writes an ONNX file that ONNX Runtime runs; eval, predict and inspect read it as they read the model file', async () => {
    const exported = await run('export', '--model', 'iris.json', '--out', 'iris.onnx')
    expect(exported.code, exported.stderr).toBe(0)
    expect(exported.stdout).toBe('wrote iris.onnx: serial(dense(4, 16), relu, dense(16, 3)) as ONNX (opset 17, input "x" [batch, 4], output "y" [batch, 3])\n')
    const bytes = new Uint8Array(await readFile(join(dir, 'iris.onnx')))
    const y = await runOnnx(bytes, Float32Array.of(0, 0, 0, 0, 1, -1, 1, -1), [2, 4])
    expect(y.dims).toEqual([2, 3])
    expect(E.isRight(importModel(bytes))).toBe(true)

    const [evalJson, evalOnnx, predictJson, predictOnnx, inspected] = await Promise.all([
      run('eval', '--model', 'iris.json', '--data', 'iris-test.csv'),
      run('eval', '--model', 'iris.onnx', '--data', 'iris-test.csv'),
      run('predict', '--model', 'iris.json', '--data', 'iris-unlabelled.csv'),
      run('predict', '--model', 'iris.onnx', '--data', 'iris-unlabelled.csv'),
      run('inspect', 'iris.onnx'),
    ])
    expect(evalOnnx.code, evalOnnx.stderr).toBe(0)
    expect(evalOnnx.stdout).toBe(evalJson.stdout)
    expect(predictOnnx.code, predictOnnx.stderr).toBe(0)
    expect(predictOnnx.stdout).toBe(predictJson.stdout)
    expect(inspected.stdout).toContain('iris.onnx: ONNX model, input [batch, 4]\narchitecture  serial(dense(4, 16), relu, dense(16, 3))')
    expect(inspected.stdout).toContain('data          target "species" (classification: setosa, versicolor, virginica) from 4 features')
  })

  it('train --model m.onnx starts from the file\'s weights', async () => {
    await run('export', '--model', 'iris.json', '--out', 'start.onnx')
    const [fromFile, fromSpec] = await Promise.all([
      run('train', '--model', 'start.onnx', '--data', 'iris-train.csv', '--target', 'species', '--epochs', '1', '--seed', '1', '--out', 'tuned.json'),
      run('train', '--model', 'spec.json', '--data', 'iris-train.csv', '--target', 'species', '--epochs', '1', '--seed', '1', '--out', 'fresh.json'),
    ])
    expect(fromFile.code, fromFile.stderr).toBe(0)
    const loss = (out: string): number => Number(/last epoch's loss (\S+)/.exec(out)?.[1])
    // 30 epochs ahead of a fresh start, its first epoch's loss is far lower.
    expect(loss(fromFile.stdout)).toBeLessThan(loss(fromSpec.stdout) * 0.7)
  })

  it('a PyTorch file: inspect reads it (its CNN too); eval says which metadata is missing', async () => {
    const [inspected, evaluated, cnn, badOpset] = await Promise.all([
      run('inspect', 'mlp-relu.onnx'),
      run('eval', '--model', 'mlp-relu.onnx', '--data', 'iris-test.csv'),
      run('inspect', 'cnn-small.onnx'),
      run('export', '--model', 'iris.json', '--out', 'x.onnx', '--opset', '12'),
    ])
    expect(inspected.code, inspected.stderr).toBe(0)
    expect(inspected.stdout).toContain('architecture  serial(dense(4, 16), relu, dense(16, 3))')
    expect(evaluated.code).toBe(1)
    expect(evaluated.stderr).toBe('purenet eval: mlp-relu.onnx: the ONNX file has no purenet metadata ("purenet.extra"), so which CSV columns it reads is unknown; export the model with purenet export, which keeps what purenet train recorded\n')
    expect(cnn.code, cnn.stderr).toBe(0)
    expect(cnn.stdout).toContain('architecture  serial(serial(channelsLast([1, 8, 8]), conv2d([8, 8, 1], 4, 3)), relu, maxPool2d([8, 8, 4], 2), serial(channelsFirst([4, 4, 4]), flatten), dense(64, 10))')
    expect(badOpset.code).toBe(2)
    expect(badOpset.stderr).toMatch(/^purenet export: --opset must be 17 to 21, got 12\n/)
  })
})
