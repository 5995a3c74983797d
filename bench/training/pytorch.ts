/**
 * PyTorch as a contender: `pytorch.py` in a child process (Debian's /usr/bin/python3 with
 * python3-torch, OpenBLAS pinned to one thread, `torch.set_num_threads(1)`), on the same set-up
 * file the memory children read. Its turns are whole runs of steps timed inside Python (the pipe's
 * round trip is not counted), so they interleave with the other contenders' turns like theirs.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Setup, type Trainer, writeSetup } from './spec.js'

const python = '/usr/bin/python3'
const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' }

/** Whether PyTorch can run here (`python3 -c 'import torch'`). */
export const pytorchAvailable = (): boolean => spawnSync(python, ['-c', 'import torch, numpy'], { env, encoding: 'utf8' }).status === 0

/** What one turn of PyTorch steps reports: the wall time inside Python and the losses. */
export interface Turn {
  readonly ms: number
  readonly losses: ReadonlyArray<number>
}

/** A PyTorch trainer: `turn(count)` runs `count` steps in the child and reports their time. */
export interface PytorchTrainer extends Trainer {
  readonly turn: (count: number) => Promise<Turn>
}

/** Starts PyTorch on a set-up; resolves once the child has built the network. */
export const pytorchTrainer = async (s: Setup): Promise<PytorchTrainer> => {
  const file = path.join(os.tmpdir(), `purenet-bench-torch-${process.pid}-${s.spec.id}.bin`)
  writeSetup(file, s)
  const here = path.dirname(fileURLToPath(import.meta.url))
  const child: ChildProcessWithoutNullStreams = spawn(python, [path.join(here, 'pytorch.py'), file], { env })
  let buffered = ''
  const waiting: Array<{ readonly resolve: (line: string) => void; readonly reject: (e: Error) => void }> = []
  const lines: string[] = []
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk
    let nl
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl)
      buffered = buffered.slice(nl + 1)
      const w = waiting.shift()
      if (w !== undefined) w.resolve(line)
      else lines.push(line)
    }
  })
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => { stderr += chunk })
  let exited: Error | undefined
  child.on('exit', (code) => {
    exited = new Error(`pytorch.py exited (${code}):\n${stderr}`)
    for (const w of waiting.splice(0)) w.reject(exited)
  })
  const nextLine = (): Promise<string> => {
    const l = lines.shift()
    if (l !== undefined) return Promise.resolve(l)
    if (exited !== undefined) return Promise.reject(exited)
    return new Promise((resolve, reject) => { waiting.push({ resolve, reject }) })
  }
  const ready = JSON.parse(await nextLine()) as { readonly ready: boolean }
  if (!ready.ready) throw new Error(`pytorch.py did not start:\n${stderr}`)
  const turn = async (count: number): Promise<Turn> => {
    child.stdin.write(`steps ${count}\n`)
    return JSON.parse(await nextLine()) as Turn
  }
  return {
    turn,
    step: () => { throw new Error('pytorch: steps run in turns (turn(count)), not one by one') },
    dispose: () => {
      child.stdin.end()
      rmSync(file, { force: true })
    },
  }
}
