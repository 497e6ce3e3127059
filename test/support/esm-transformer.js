/**
 * Jest (29, CommonJS) cannot load ESM-only packages such as expo-server-sdk 6, which Node 20 itself
 * loads through require(esm). This transpiles those files to CommonJS with the TypeScript compiler
 * the project already has. ESM's way to get a `require` (createRequire(import.meta.url)) would
 * redeclare CommonJS's own, so it is dropped; any other `import.meta.url` becomes the file's URL.
 */
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const ts = require('typescript');

module.exports = {
  process(source, filename) {
    const withoutImportMeta = source
      .replace(/\bconst require = createRequire\(import\.meta\.url\);?/g, '')
      .replace(/\bimport\.meta\.url\b/g, "require('node:url').pathToFileURL(__filename).href");
    const { outputText } = ts.transpileModule(withoutImportMeta, {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    return { code: outputText };
  },
  getCacheKey(source, filename) {
    // The transformer's own text is part of the key, so editing it invalidates Jest's cache.
    return createHash('sha256')
      .update(readFileSync(__filename))
      .update(filename)
      .update(source)
      .digest('hex');
  },
};
