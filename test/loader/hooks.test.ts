import t from 'tap'

// The tests' TypeScript runs through test/loader/hooks.mjs (registered by .taprc). What depends on
// it beyond "the code runs": source maps, which put stack traces and coverage on the right lines.

t.test('a .js specifier finds the .ts source, and a stack trace points at its line', async (t) => {
  const { fail } = await import('../fixtures/loader/throws.js')
  const err = t.throws(() => fail()) as Error
  t.match(err.stack, /test\/fixtures\/loader\/throws\.ts:6:\d+/)
})

t.test('a missing module is still reported as missing', async (t) => {
  // The error crosses from the hooks' thread without its code: the message names the module.
  const missing = '../fixtures/loader/nowhere.js'
  await t.rejects(import(missing), /Cannot find module .*nowhere\.js/)
})
