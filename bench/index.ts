/**
 * `npm run bench`: every benchmark in this folder, in one process: the kernel table (ratios to
 * TensorFlow.js measured in the same run), then purenet's training-step throughput on the small
 * MLPs of `profile-step.ts` (no peer yet). Pass `--quick` for a short smoke run.
 */
import { machineLine, peakRssMiB } from './harness.js'
import { printKernelTable, runKernelBench } from './kernels.js'
import { runWorkload } from './profile-step.js'

const quick = process.argv.includes('--quick')
printKernelTable(await runKernelBench({ quick, only: 'all' }))

console.log('\nTraining steps, purenet only (synthetic data, SGD, after 20 warm-up steps):')
for (const [workload, steps] of [['w1', quick ? 100 : 400], ['w4', quick ? 300 : 2000]] as const) {
  runWorkload(workload, 20)
  const r = runWorkload(workload, steps)
  console.log(`  ${workload === 'w1' ? 'W1 784-128-10 relu, batch 64' : 'W4 4-64-64-2 tanh, batch 32'}: ${r.stepsPerSecond.toFixed(0)} steps/s, ${r.samplesPerSecond.toFixed(0)} samples/s`)
}
console.log(`\n${machineLine()}\npeak RSS ${peakRssMiB().toFixed(0)} MiB`)
