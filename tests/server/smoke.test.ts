import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { createBoard, startTestServer, waitFor, type TestServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

it('two stock providers converge', async () => {
  const board = await createBoard(server);
  const a = new Y.Doc();
  const b = new Y.Doc();
  const pa = new WebsocketProvider(`${server.wsUrl}/sync`, board.id, a, { WebSocketPolyfill: WebSocket as never });
  const pb = new WebsocketProvider(`${server.wsUrl}/sync`, board.id, b, { WebSocketPolyfill: WebSocket as never });
  await waitFor(() => pa.synced && pb.synced);
  a.getMap('x').set('k', 'v');
  await waitFor(() => b.getMap('x').get('k') === 'v');
  expect(b.getMap('questions').size).toBe(9);
  pa.destroy();
  pb.destroy();
});
