import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  resolve: {
    // The package's own name resolves to its sources here (as tsconfig.json's "paths" do for
    // tsc and tsx), so the examples import 'purenet' exactly as a user's project does.
    alias: [
      { find: /^purenet$/, replacement: source('./src/index.ts') },
      { find: /^purenet\/browser$/, replacement: source('./src/browser.ts') },
      { find: /^purenet\/worker$/, replacement: source('./src/worker.ts') },
      { find: /^purenet\/plot\/render$/, replacement: source('./src/plot/render.ts') },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'properties/**/*.test.ts', 'examples/**/*.test.ts', 'playground/test/**/*.test.ts'],
    // builds the WebAssembly kernels and dist/ first (the CLI tests run the compiled bin), also for
    // 'npx vitest run FILE' on a fresh clone
    globalSetup: ['scripts/build.mjs'],
    typecheck: { enabled: false },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
