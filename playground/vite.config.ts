// The playground's Vite config: the page imports purenet's public entries only ('purenet/browser',
// 'purenet/worker'), mapped here to their sources as tsconfig.json's "paths" map them for tsc.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  root: source('.'),
  base: './',
  resolve: {
    alias: [
      { find: /^purenet\/browser$/, replacement: source('../src/browser.ts') },
      { find: /^purenet\/worker$/, replacement: source('../src/worker.ts') },
    ],
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  build: { outDir: source('./dist'), emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  logLevel: 'warn',
})
