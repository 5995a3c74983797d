#!/usr/bin/env node
// The `purenet` executable (package.json "bin" -> dist/cli/bin.js, compiled JavaScript run by
// plain `node`). In this repository, `npx tsx src/cli/bin.ts ...` runs it from the sources.
import { main, processTerminal } from './main.js'

process.exitCode = await main(process.argv.slice(2), processTerminal())
