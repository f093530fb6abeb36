/**
 * `npm start`: builds what is stale, then runs the bundled server in this very process.
 *
 * The signal a supervisor sends to `npm start` must reach the server. npm forwards SIGTERM and
 * SIGINT to its child only, and runs the script through `sh -c`, which (Debian's dash at least)
 * forks the command instead of becoming it: the shell got the signal and died, and the server
 * went on without a parent, still listening. So the script `exec`s node (the shell becomes this
 * process, npm's direct child), and this process is the server.
 *
 * The build runs in a child process (TypeScript through tsx, then Vite and esbuild when stale):
 * none of it stays in the server's memory, and the server itself starts as fast as
 * `node dist/server/main.mjs`. A stop asked for during the build stops the build, then this.
 *
 * Plain JavaScript: it runs before anything is built, without TypeScript's loader.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const build = spawn(
  process.execPath,
  ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('build.ts', import.meta.url))],
  { stdio: 'inherit' },
);
let stopped = false;
const forward = (signal) => {
  stopped = true;
  build.kill(signal);
};
process.on('SIGTERM', forward);
process.on('SIGINT', forward);
const [code] = await once(build, 'exit');
process.off('SIGTERM', forward);
process.off('SIGINT', forward);
// Stopped while building: nothing ran yet, nothing to store.
if (stopped) process.exit(0);
if (code !== 0) process.exit(code ?? 1);

const server = await import(new URL('../dist/server/main.mjs', import.meta.url).href);
await server.main();
