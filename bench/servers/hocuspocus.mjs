/**
 * `@hocuspocus/server` (3.4.x) with its defaults and no extension: no persistence (documents live
 * in memory while someone is connected), no authentication hook (any token is accepted).
 * Prints `BENCH_READY port=<n>` once listening. Plain JavaScript, run on bare Node (see yws.mjs).
 */
import { Server } from '@hocuspocus/server';

const server = new Server({ port: Number(process.env.PORT ?? 0), address: '127.0.0.1', quiet: true });
await server.listen();
console.log(`BENCH_READY port=${server.httpServer.address().port}`);
