/**
 * The plain `@y/websocket-server` (0.1.1) as its own `bin` runs it: an HTTP server whose upgrades
 * go to `setupWSConnection`; the document name is the path (`/sync/<board>` → `sync/<board>`).
 * Memory only: no YPERSISTENCE, no callback. Prints `BENCH_READY port=<n>` once listening.
 *
 * Plain JavaScript, like every server the bench starts: each runs on bare Node as it would be
 * deployed, with no TypeScript loader resolving its imports (bench/README.md#how-it-measures).
 */
import http from 'node:http';
import { WebSocketServer } from 'ws';
import * as utils from '@y/websocket-server/utils';

const wss = new WebSocketServer({ noServer: true });
const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.end('okay');
});
wss.on('connection', (ws, request) => utils.setupWSConnection(ws, request));
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`BENCH_READY port=${server.address().port}`);
});
