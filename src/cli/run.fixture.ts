/**
 * The `purenet` command as the tests run it: the compiled bin (`dist/cli/bin.js`, which vitest's
 * global setup builds) as a child process with plain node, or `main` in this process.
 */
import { execFile } from 'node:child_process'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { main } from './main.js'

/** What a run of the command gave: its exit code and everything it printed. */
export interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** The compiled bin, as the package runs it. */
export const bin = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url))

/** Runs `purenet ...args` as a child process in the folder `cwd()` (read at each call). */
export const binRunner = (cwd: () => string) => (...args: string[]): Promise<Run> =>
  new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { cwd: cwd(), env: { ...process.env, PURENET_DEBUG: '' } }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr })
    })
  })

/** Runs `purenet ...args` in this process (paths are relative to `process.cwd()`). */
export const runInProcess = async (...args: string[]): Promise<Run> => {
  let stdout = ''
  let stderr = ''
  const code = await main(args, { out: (l) => { stdout += `${l}\n` }, err: (l) => { stderr += `${l}\n` }, stdout: new PassThrough(), tty: false })
  return { code, stdout, stderr }
}
