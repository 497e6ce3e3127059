'use strict';
/**
 * Benchmark runner: `node test/bench/run.js [name …]` (`npm run bench` builds first, then runs them all).
 *
 * Each bench is a top-level TypeScript file `test/bench/<name>.ts` exporting `run(): Promise<boolean>`
 * (false when the bench saw a contract violation). The project's require hook for `.ts`
 * (scripts/register-typescript.js) compiles every TypeScript module in memory, so benches are loaded as modules that live in
 * test/bench/ and can import shared helpers from test/bench/lib/*.ts (not scanned for benches); their
 * relative imports and `require`s resolve as in the project. The process exits 1 if any bench fails
 * or returns false, 2 for an unknown bench name.
 */
const path = require('node:path');
const { readdirSync } = require('node:fs');

const BENCH_DIR = __dirname;

function availableBenches() {
  return readdirSync(BENCH_DIR)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
}

async function main() {
  process.setSourceMapsEnabled(true);
  require('../../scripts/register-typescript.js');
  const available = availableBenches();
  const requested = process.argv.slice(2);
  const unknown = requested.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    console.error(`Unknown bench: ${unknown.join(', ')}. Available: ${available.join(', ')}`);
    return 2;
  }
  let failed = false;
  for (const name of requested.length > 0 ? requested : available) {
    console.log(`\n# bench: ${name}\n`);
    try {
      const bench = require(path.join(BENCH_DIR, `${name}.ts`));
      if (typeof bench.run !== 'function') throw new Error(`test/bench/${name}.ts does not export run()`);
      if ((await bench.run()) === false) failed = true;
    } catch (error) {
      failed = true;
      console.error(`bench ${name} failed:`, error);
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
