#!/usr/bin/env node
// The `purenet` executable (package.json "bin"): purenet is written in TypeScript and runs from
// its sources, so this registers tsx's loader (a dependency) and hands over to main.ts.
import { register } from 'tsx/esm/api'

register()
const { main, processTerminal } = await import('./main.ts')
process.exitCode = await main(process.argv.slice(2), processTerminal())
