#!/usr/bin/env node
// `npm run test:package`: purenet as a user gets it. Packs the library (npm pack runs `prepare`,
// which builds dist/), installs the tarball into a new project in a temporary folder, and checks
// there, with nothing of this repository on the module path:
//   1. the tarball's file list: compiled kernels, declarations and the bin present; no tests,
//      benchmarks, examples, sources or pictures;
//   2. `node app.mjs` (plain ESM JavaScript) trains XOR to a loss below 0.05, saves and loads a model;
//   3. `node app.cjs`: require('purenet') from CommonJS;
//   4. tsc --noEmit with skipLibCheck false in five configurations: `tsc --init`'s defaults,
//      "strict": false, lib ES2020 + DOM without Node's types (purenet/browser), and
//      moduleResolution node16 and bundler;
//   5. an esbuild bundle of purenet/browser for the browser platform: no `node:` import, and it runs;
//   6. `npx purenet --help`, then train, eval and predict on a small CSV written here, export to ONNX
//      and predict from the .onnx file (the bundle of 5 also writes and reads ONNX bytes).
// It prints the tarball's size and file count and the install time. Exit 0 when every check passed.
//
//   node scripts/test-package.mjs [--keep]     (--keep leaves the temporary project for a look)
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const keep = process.argv.includes('--keep')
const work = mkdtempSync(join(tmpdir(), 'purenet-package-'))
const app = join(work, 'app')

let failures = 0
const check = (name, ok, detail = '') => {
  if (!ok) failures++
  // a passing check shows a short detail (a figure); a failing one shows the whole of it
  const shown = ok && (detail.includes('\n') || detail.length > 60) ? '' : detail
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${shown === '' ? '' : `: ${shown}`}`)
}
/** Runs a command in the user's project; never throws. */
const run = (command, args, options = {}) => {
  const r = spawnSync(command, args, { cwd: app, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error', ...options.env }, maxBuffer: 64 << 20 })
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '', output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() }
}
const tail = (text) => text.split('\n').slice(-12).join('\n')

try {
  // 1. pack
  const packed = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }))[0]
  const files = packed.files.map((f) => f.path)
  const tarball = join(work, packed.filename)
  console.log(`tarball ${packed.filename}: ${(packed.size / 1024).toFixed(0)} kB packed, ${(packed.unpackedSize / 1024).toFixed(0)} kB unpacked, ${files.length} files`)
  for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts', 'dist/browser.js', 'dist/browser.d.ts',
    'dist/plot/render.js', 'dist/cli/bin.js', 'dist/kernels/wasm/gemm.generated.js', 'dist/kernels/wasm/elementwise.generated.js', 'dist/kernels/wasm/outer.generated.js']) {
    check(`the tarball holds ${f}`, files.includes(f))
  }
  const unwanted = files.filter((f) => /\.test(-d)?\.|\.fixture\.|(^|\/)fixtures\/|^(src|bench|properties|examples|docs|scripts|\.ci)\/|\.svg$|\.tgz$|(?<!\.d)\.ts$/.test(f))
  check('the tarball holds no tests, fixtures, sources, benchmarks, examples or pictures', unwanted.length === 0, unwanted.slice(0, 8).join(', '))

  // 2-3. a new project that installs the tarball
  const started = performance.now()
  execFileSync('mkdir', ['-p', app])
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'purenet-user', version: '1.0.0', private: true, type: 'module' }, null, 2))
  for (const f of ['app.mjs', 'app.cjs', 'node-app.ts', 'browser-app.ts', 'browser-entry.mjs']) copyFileSync(join(root, 'scripts', 'consumer', f), join(app, f))
  const installed = run(npm, ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline'])
  const installSeconds = (performance.now() - started) / 1000
  check('npm install purenet-*.tgz in a new project', installed.code === 0, installed.code === 0 ? `${installSeconds.toFixed(1)} s` : tail(installed.output))
  const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8'))
  console.log(`     the project holds ${Object.keys(lock.packages).filter((p) => p !== '').length} packages (purenet and its dependencies)`)

  const esm = run('node', ['app.mjs'])
  const esmResult = esm.code === 0 ? JSON.parse(esm.stdout) : undefined
  check('node app.mjs trains XOR to a loss below 0.05', esmResult !== undefined && esmResult.loss < 0.05, esmResult === undefined ? tail(esm.output) : `loss ${esmResult.loss.toFixed(4)}`)
  check('node app.mjs saves and loads the model, outputs bit for bit', esmResult?.sameOutputs === true)
  check('node app.mjs trains with parallel({ workers: 2 }) to the same loss within 1e-4', esmResult?.poolAgrees === true)
  const cjs = run('node', ['app.cjs'])
  check("node app.cjs: require('purenet') from CommonJS", cjs.code === 0 && cjs.stdout.trim() === '{"grad":[2,4,6],"sigmoid0":0.5}', tail(cjs.output))
  check('require(purenet) prints no warning', cjs.stderr.trim() === '', cjs.stderr.trim())

  // 4. the user's type check, skipLibCheck false
  const init = run('node', [tsc, '--init'])
  check('tsc --init', init.code === 0, tail(init.output))
  const initConfig = readFileSync(join(app, 'tsconfig.json'), 'utf8')
  writeFileSync(join(app, 'tsconfig.json'), initConfig.replace(/"skipLibCheck": true/, '"skipLibCheck": false'))
  const configs = {
    "tsc --init's defaults": 'tsconfig.json',
    '"strict": false': { compilerOptions: { module: 'nodenext', target: 'es2022', strict: false, skipLibCheck: false, noEmit: true, types: [] }, files: ['node-app.ts', 'browser-app.ts'] },
    'lib ES2020 + DOM without Node types (purenet/browser)': { compilerOptions: { module: 'esnext', moduleResolution: 'bundler', target: 'es2020', lib: ['ES2020', 'DOM'], types: [], strict: true, skipLibCheck: false, noEmit: true }, files: ['browser-app.ts'] },
    'moduleResolution node16': { compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, skipLibCheck: false, noEmit: true, types: [] }, files: ['node-app.ts'] },
    'moduleResolution bundler': { compilerOptions: { module: 'esnext', moduleResolution: 'bundler', target: 'es2022', strict: true, skipLibCheck: false, noEmit: true, types: [] }, files: ['node-app.ts', 'browser-app.ts'] },
  }
  for (const [name, config] of Object.entries(configs)) {
    let file = config
    if (typeof config !== 'string') {
      file = `tsconfig.${name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}.json`
      writeFileSync(join(app, file), JSON.stringify(config, null, 2))
    }
    const typed = run('node', [tsc, '--noEmit', '-p', file])
    check(`tsc --noEmit, ${name}`, typed.code === 0, tail(typed.output))
  }

  // 5. a browser bundle of purenet/browser
  const esbuild = require('esbuild')
  const bundled = await esbuild.build({
    absWorkingDir: app, entryPoints: ['browser-entry.mjs'], bundle: true, platform: 'browser', format: 'esm',
    outfile: join(app, 'bundle.js'), metafile: true, logLevel: 'silent',
  }).then((r) => r, (e) => e)
  const nodeImports = bundled.metafile === undefined ? ['(the bundle failed)'] : Object.values(bundled.metafile.inputs).flatMap((i) => i.imports.map((m) => m.path)).filter((p) => p.startsWith('node:'))
  check('esbuild bundles purenet/browser for the browser platform with no node: import', bundled.errors?.length === 0 && nodeImports.length === 0,
    bundled.errors?.length > 0 ? bundled.errors.map((e) => e.text).join('; ') : nodeImports.join(', '))
  if (bundled.metafile !== undefined) {
    console.log(`     bundle.js: ${(Object.values(bundled.metafile.outputs)[0].bytes / 1024).toFixed(0)} kB unminified`)
    const ran = run('node', ['--input-type=module', '-e', "await import('./bundle.js'); console.log(globalThis.purenetResult)"])
    check('the bundle runs and trains', ran.code === 0 && Number(ran.stdout) < 0.25, tail(ran.output))
    const onnxRan = run('node', ['--input-type=module', '-e', "await import('./bundle.js'); console.log(globalThis.purenetOnnx)"])
    check('the bundle exports a network as ONNX and imports it back', onnxRan.code === 0 && Number(onnxRan.stdout) > 100, tail(onnxRan.output))
  }

  // 6. the command line, through npx
  const help = run(npm, ['exec', '--offline', '--', 'purenet', '--help'])
  check('npx purenet --help', help.code === 0 && help.stdout.startsWith('usage: purenet'), tail(help.output))
  const rows = ['a,b,label']
  for (let i = 0; i < 40; i++) rows.push(`${(i % 7) / 7},${(i % 5) / 5},${(i % 7) / 7 + (i % 5) / 5 > 0.8 ? 'high' : 'low'}`)
  writeFileSync(join(app, 'points.csv'), `${rows.join('\n')}\n`)
  writeFileSync(join(app, 'unlabelled.csv'), 'a,b\n0.1,0.1\n0.9,0.8\n')
  writeFileSync(join(app, 'spec.json'), JSON.stringify({ kind: 'serial', layers: [{ kind: 'dense', inSize: 2, outSize: 8 }, { kind: 'tanh' }, { kind: 'dense', inSize: 8, outSize: 2 }] }))
  const trained = run(npm, ['exec', '--offline', '--', 'purenet', 'train', '--model', 'spec.json', '--data', 'points.csv', '--target', 'label', '--epochs', '30', '--batch', '8', '--out', 'model.json'])
  check('npx purenet train', trained.code === 0 && /saved model\.json/.test(trained.stdout), tail(trained.output))
  const evaluated = run(npm, ['exec', '--offline', '--', 'purenet', 'eval', '--model', 'model.json', '--data', 'points.csv', '--target', 'label'])
  check('npx purenet eval', evaluated.code === 0 && /accuracy/.test(evaluated.stdout), tail(evaluated.output))
  const predicted = run(npm, ['exec', '--offline', '--', 'purenet', 'predict', '--model', 'model.json', '--data', 'unlabelled.csv', '--out', 'predictions.csv'])
  const predictions = predicted.code === 0 ? readFileSync(join(app, 'predictions.csv'), 'utf8').trim().split('\n') : []
  check('npx purenet predict writes a header and one line per row', predicted.code === 0 && predictions.length === 3, tail(predicted.output))
  const exported = run(npm, ['exec', '--offline', '--', 'purenet', 'export', '--model', 'model.json', '--out', 'model.onnx'])
  const onnxPredicted = run(npm, ['exec', '--offline', '--', 'purenet', 'predict', '--model', 'model.onnx', '--data', 'unlabelled.csv'])
  check('npx purenet export, then predict from the .onnx file as from the model file', exported.code === 0 && onnxPredicted.code === 0 && onnxPredicted.stdout.trim().split('\n').join('\n') === predictions.join('\n'), tail(`${exported.output}\n${onnxPredicted.output}`))
} catch (e) {
  failures++
  console.log(`FAIL ${e instanceof Error ? e.stack : String(e)}`)
} finally {
  if (keep) console.log(`the project is kept in ${app}`)
  else rmSync(work, { recursive: true, force: true })
}
console.log(failures === 0 ? 'test:package: every check passed' : `test:package: ${failures} check(s) failed`)
process.exitCode = failures === 0 ? 0 : 1
