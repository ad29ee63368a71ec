import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['model/**/*.test.ts', 'tests/**/*.test.ts', 'sync-server/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
})
