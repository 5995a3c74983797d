import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'properties/**/*.test.ts', 'examples/**/*.test.ts'],
    // builds the WebAssembly kernels first, also for 'npx vitest run FILE' on a fresh clone
    globalSetup: ['scripts/build-wasm.mjs'],
    typecheck: { enabled: false },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
