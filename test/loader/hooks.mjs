// Module hooks that run the TypeScript sources of tests and app through esbuild, file by file.
// tap's own TypeScript plugin (ts-node) spent about 5 s of CPU per test file compiling the app,
// and tsx's output defeats coverage (c8 maps every file to one statement); esbuild with an
// inline source map is as fast as tsx and keeps coverage exact.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { transform } from 'esbuild'

// The project's own tsconfig.json (JSX runtime, verbatim module syntax), as `npm start`'s
// launcher gives it to esbuild: one set of compiler settings for both.
const tsconfigRaw = await readFile(new URL('../../tsconfig.json', import.meta.url), 'utf8')

const TYPESCRIPT = /\.(c|m)?tsx?$/

/** The sources import each other as `./x.js`, as TypeScript's NodeNext resolution wants. */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context)
  } catch (err) {
    const parent = context.parentURL
    if (!parent || !TYPESCRIPT.test(parent) || !/^\.{1,2}\//.test(specifier) || !/\.(c|m)?jsx?$/.test(specifier)) throw err
    for (const candidate of [specifier.replace(/js(x?)$/, 'ts$1'), specifier.replace(/\.js$/, '.tsx')]) {
      try {
        return await nextResolve(candidate, context)
      } catch {
        // try the next spelling
      }
    }
    throw err
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !TYPESCRIPT.test(url)) return nextLoad(url, context)
  const file = fileURLToPath(url)
  const commonjs = url.endsWith('.cts')
  const result = await transform(await readFile(file, 'utf8'), {
    loader: url.endsWith('x') ? 'tsx' : 'ts',
    format: commonjs ? 'cjs' : 'esm',
    target: 'node20',
    sourcemap: 'inline',
    sourcefile: file,
    tsconfigRaw,
  })
  return { format: commonjs ? 'commonjs' : 'module', source: result.code, shortCircuit: true }
}
