'use strict';
/**
 * `npm run docs:machine`: writes docs/booking-state-machine.md from the booking machine. TypeScript
 * sources are transpiled in memory (as test/bench/run.js does), so no build is needed.
 */
const Module = require('node:module');
const path = require('node:path');
const { readFileSync, writeFileSync } = require('node:fs');
const ts = require('typescript');

Module._extensions['.ts'] = function compileTypeScript(loaded, file) {
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      experimentalDecorators: true,
    },
  });
  loaded._compile(outputText, file);
};

const root = path.join(__dirname, '..');
const { renderMachineDoc } = require(path.join(root, 'src/bookings/domain/booking-machine.doc.ts'));
const target = path.join(root, 'docs/booking-state-machine.md');
writeFileSync(target, renderMachineDoc());
console.log(`wrote ${path.relative(root, target)}`);
