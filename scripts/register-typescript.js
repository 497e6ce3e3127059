'use strict';
/**
 * `node --require scripts/register-typescript.js`: loads `.ts` modules by transpiling them in memory
 * with the project's TypeScript compiler (no type checking). For code that runs from the sources
 * outside Jest: worker threads started by tests, and the benchmarks.
 */
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const ts = require('typescript');

const COMPILER_OPTIONS = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  inlineSourceMap: true,
};

Module._extensions['.ts'] = function compileTypeScript(loaded, file) {
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: COMPILER_OPTIONS,
  });
  loaded._compile(outputText, file);
};
