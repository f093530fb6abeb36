/**
 * One config for the client build (Vite, root `client/`, output `dist/client`) and for the tests
 * (Vitest, run from the repository root over `tests/`).
 */
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

const repository = fileURLToPath(new URL('.', import.meta.url));
const devServerPort = Number(process.env.ATELIER_DEV_API_PORT ?? 3000);

export default defineConfig({
  root: 'client',
  // Tests run on Node and import no Svelte; the tests' client build sets ATELIER_CLIENT_BUILD.
  plugins: process.env.VITEST && !process.env.ATELIER_CLIENT_BUILD ? [] : [svelte()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    // `npm run dev`: Vite serves the client and forwards the API, sync and socket.io to the server.
    proxy: {
      '/api': `http://localhost:${devServerPort}`,
      '/schema': `http://localhost:${devServerPort}`,
      '/sync': { target: `ws://localhost:${devServerPort}`, ws: true },
      '/socket.io': { target: `http://localhost:${devServerPort}`, ws: true },
    },
  },
  test: {
    root: repository,
    include: ['tests/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    globalSetup: ['tests/helpers/global-setup.ts'],
  },
});
