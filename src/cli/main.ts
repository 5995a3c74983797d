/**
 * The `purenet` command: `train`, `eval`, `predict` and `inspect`, a thin shell over the library
 * (nothing imports this folder). Exit codes: 0 when the command did its job, 2 for a bad command
 * line (with the usage of the command), 1 for a file that cannot be read or decoded, data that
 * does not fit the model, or a run that diverged (one line naming the file and the problem). A
 * user's mistake never prints a stack trace; an unexpected error (a bug) prints one line, and its
 * stack when PURENET_DEBUG is set. Every line printed has its control characters escaped
 * (`printable.ts`), so a name or a message quoting a file cannot act on the terminal.
 *
 * Run it as `npx purenet ...` (the `bin` of package.json: `bin.ts`, compiled to `dist/cli/bin.js`), or
 * from the sources as `npx tsx src/cli/bin.ts ...`.
 */
import * as E from 'fp-ts/lib/Either.js'
import { evalCommand, evalUsage } from './evaluate.js'
import { exportCommand, exportUsage } from './exportOnnx.js'
import { inspectCommand, inspectUsage } from './inspect.js'
import type { Outcome, Terminal } from './outcome.js'
import { predictCommand, predictUsage } from './predict.js'
import { printable, printableLines } from './printable.js'
import { trainCommand, trainUsage } from './train.js'

/** The usage of `purenet` itself. */
export const usage = `usage: purenet <command> [options]

commands:
  train    train a network (a layer spec) on a CSV file or IDX images and save the model
  eval     the loss and accuracy of a model on a labelled CSV file or IDX images
  predict  a model's predictions for the rows of a CSV file or IDX images
  inspect  what a model file holds: architecture, parameters, training history
  export   a model file as an ONNX file, for ONNX Runtime

'purenet <command> --help' lists the options of a command.`

type Command = {
  readonly usage: string
  readonly run: (argv: ReadonlyArray<string>, terminal: Terminal, now: () => number) => Promise<Outcome>
}

const commands: Readonly<Record<string, Command>> = {
  train: { usage: trainUsage, run: trainCommand },
  eval: { usage: evalUsage, run: evalCommand },
  predict: { usage: predictUsage, run: predictCommand },
  inspect: { usage: inspectUsage, run: inspectCommand },
  export: { usage: exportUsage, run: exportCommand },
}

// Nothing printed acts on the terminal: names and messages may quote a file (printable.ts).
const escaping = (terminal: Terminal): Terminal => ({
  ...terminal,
  out: (line) => terminal.out(printableLines(line)),
  err: (line) => terminal.err(printableLines(line)),
})

// An allocation that does not fit (a huge layer, a huge file) is a limit of the machine, not a bug.
const outOfMemory = (e: unknown): e is RangeError =>
  e instanceof RangeError && /allocation failed|Invalid typed array length|Invalid array length|Array buffer/i.test(e.message)

/** Runs the command line `argv` (the words after `purenet`) and resolves to the exit code. */
export const main = async (argv: ReadonlyArray<string>, unescaped: Terminal, now: () => number = () => performance.now()): Promise<number> => {
  const terminal = escaping(unescaped)
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    if (name === undefined) {
      terminal.err(usage)
      return 2
    }
    const topic = name === 'help' && rest[0] !== undefined && Object.hasOwn(commands, rest[0]) ? commands[rest[0]] : undefined
    terminal.out(topic?.usage ?? usage)
    return 0
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined
  if (command === undefined) {
    terminal.err(`purenet: unknown command ${JSON.stringify(name)}; the commands are train, eval, predict, inspect and export\n\n${usage}`)
    return 2
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    terminal.out(command.usage)
    return 0
  }
  let outcome: Outcome
  try {
    outcome = await command.run(rest, terminal, now)
  } catch (e) {
    if (outOfMemory(e)) {
      terminal.err(`purenet ${name}: not enough memory (${e.message}); the network or the data is too big for this machine`)
      return 1
    }
    terminal.err(`purenet ${name}: unexpected error: ${e instanceof Error ? e.message : String(e)}`)
    if (process.env['PURENET_DEBUG'] !== undefined && e instanceof Error && e.stack !== undefined) terminal.err(e.stack)
    else terminal.err('(this is a bug in purenet; set PURENET_DEBUG=1 to see where it happened)')
    return 1
  }
  if (E.isRight(outcome)) return 0
  // An input failure is one line: a line break quoted from a file is escaped as well.
  if (outcome.left.kind === 'usage') {
    terminal.err(`purenet ${name}: ${outcome.left.message}\n\n${command.usage}`)
    return 2
  }
  terminal.err(`purenet ${name}: ${printable(outcome.left.message)}`)
  return 1
}

/** The terminal of this process. */
export const processTerminal = (): Terminal => {
  // `purenet predict ... | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw e
  })
  return {
    out: (line) => { process.stdout.write(`${line}\n`) },
    err: (line) => { process.stderr.write(`${line}\n`) },
    stdout: process.stdout,
    tty: process.stdout.isTTY === true,
  }
}
