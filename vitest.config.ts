import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'properties/**/*.test.ts', 'examples/**/*.test.ts'],
    typecheck: { enabled: false },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
