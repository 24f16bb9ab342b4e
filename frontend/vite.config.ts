/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The API runs separately in development (`make run` or `bin/duban serve`);
// `npm run dev` proxies /api to it. DUBAN_API overrides the target.
const apiTarget = process.env.DUBAN_API ?? 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  build: {
    chunkSizeWarningLimit: 1200,
  },
  test: {
    environment: 'happy-dom',
    globals: true,
    // Only unit tests: the browser suite in e2e/ has its own runner (whose harness has a unit test).
    include: ['src/**/*.test.{ts,tsx}', 'e2e/**/*.test.mjs'],
    setupFiles: ['./src/test/setup.ts'],
    // form tests type into antd inputs: slow on a busy 2-core machine
    testTimeout: 20_000,
  },
})
