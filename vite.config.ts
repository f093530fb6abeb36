/**
 * One config for the client build (Vite, root `client/`, output `dist/client`) and for the tests
 * (Vitest, run from the repository root over `tests/`, in projects: see `test.projects` below).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const repository = fileURLToPath(new URL('.', import.meta.url));
const devServerPort = Number(process.env.ATELIER_DEV_API_PORT ?? 3000);

/** What every test project shares: run from the repository root, generous timeouts for real servers. */
const shared = { root: repository, testTimeout: 20_000, hookTimeout: 60_000 };
/** Builds the client first, for the tests that load it (and only when one of them runs). */
const clientBuild = ['tests/helpers/global-setup.ts'];
/** Server tests that read the built client's files (its assets' security headers). */
const needsBuiltClient = ['tests/server/security.test.ts'];

export default defineConfig({
  root: 'client',
  // Tests run on Node and import no Svelte; the tests' client build sets ATELIER_CLIENT_BUILD. The
  // plugin is loaded only when used: loading it costs every test run a second or two otherwise.
  plugins:
    process.env.VITEST && !process.env.ATELIER_CLIENT_BUILD
      ? []
      : [import('@sveltejs/vite-plugin-svelte').then(({ svelte }) => svelte())],
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
    // `npx vitest run` runs them all; `--project <name>` one of them. A project's global set-up runs
    // only when one of its files is in the run: the pure tests never wait for the client build.
    projects: [
      {
        extends: true,
        test: {
          ...shared,
          name: 'unit',
          include: ['tests/shared/**/*.test.ts', 'tests/client/**/*.test.ts', 'tests/scripts/**/*.test.ts'],
          // Pure tests (no mocks, no globals, no servers) share their workers' module graph: half
          // the wall time. A test that mocks a module or changes a global belongs elsewhere.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          ...shared,
          name: 'server',
          include: ['tests/server/**/*.test.ts'],
          exclude: needsBuiltClient,
        },
      },
      {
        extends: true,
        test: { ...shared, name: 'server-client', include: needsBuiltClient, globalSetup: clientBuild },
      },
      {
        extends: true,
        test: { ...shared, name: 'browser', include: ['tests/e2e/**/*.test.ts'], globalSetup: clientBuild },
      },
    ],
  },
});
