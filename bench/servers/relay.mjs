/**
 * The ceiling: a bare `ws` relay with no Yjs at all. Each path is a room; every frame a client
 * sends is sent as is to every other client of its room. Keeps nothing, so a joining peer is
 * answered by the other peers, not by the server. Prints `BENCH_READY port=<n>` once listening.
 * Plain JavaScript, run on bare Node (see yws.mjs).
 */
import http from 'node:http';
import { WebSocketServer } from 'ws';

/** @type {Map<string, Set<import('ws').WebSocket>>} */
const rooms = new Map();
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.end('okay');
});

wss.on('connection', (ws, request) => {
  const name = (request.url ?? '/').split('?')[0] ?? '/';
  let room = rooms.get(name);
  if (!room) rooms.set(name, (room = new Set()));
  const members = room;
  members.add(ws);
  ws.on('message', (data, isBinary) => {
    for (const other of members)
      if (other !== ws && other.readyState === 1) other.send(data, { binary: isBinary });
  });
  ws.on('error', () => undefined);
  ws.on('close', () => {
    members.delete(ws);
    if (members.size === 0) rooms.delete(name);
  });
});
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`BENCH_READY port=${server.address().port}`);
});
