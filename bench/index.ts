/**
 * `npm run bench`: every benchmark in this folder, in one process: the kernel table (ratios to
 * TensorFlow.js measured in the same run), then the training table (W1, W2, W4 for purenet,
 * TensorFlow.js `cpu` and `wasm` and a plain-JS reference, interleaved, with peak RSS per
 * contender from child processes), then the two-thread matmul prototype of `parallel-matmul.ts`.
 * Pass `--quick` for a short smoke run; the options of `training.ts` (`--only w1,w4`, `--no-rss`,
 * `--flat-epochs N`) pass through.
 */
import { machineLine } from './harness.js'
import { printKernelTable, runKernelBench } from './kernels.js'
import { runParallelMatmulBench } from './parallel-matmul.js'
import { parseTrainingArgs, runTrainingBench } from './training.js'

const argv = process.argv.slice(2)
const quick = argv.includes('--quick')
console.log(`# purenet benchmarks (${machineLine()})\n`)
printKernelTable(await runKernelBench({ quick, only: 'all' }))
await runTrainingBench(parseTrainingArgs(argv))
console.log('\n## Both cores (issue 4 §2, a prototype outside the library)\n')
await runParallelMatmulBench(quick)
console.log(`\n${machineLine()}`)
