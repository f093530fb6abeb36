/**
 * Presence entries follow their connection (docs/sync.md#presence): whatever client ids a
 * connection introduced, and still has, go away with it; one it took away itself stays away.
 */
import * as encoding from 'lib0/encoding';
import { describe, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { waitFor } from '../helpers/expect';
import { useServer } from '../helpers/fixtures';
import { createBoard } from '../helpers/server';

function awarenessFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

describe('presence of a connection with several client ids', () => {
  const server = useServer();
  const clients = server.sync;

  it('[sync#presence] a connection that set three presence entries and removed one takes the other two away when it dies', async () => {
    const board = await createBoard(server);
    const watcher = await clients.syncedProvider(server, board.id);
    const tabs = clients.raw(server, `/sync/${board.id}`);
    await tabs.opened;
    const entries = [0, 1, 2].map((index) => {
      const doc = new Y.Doc();
      const awareness = new awarenessProtocol.Awareness(doc);
      awareness.setLocalState({ tab: index });
      return { doc, awareness };
    });
    const seen = (clientId: number): boolean => watcher.provider.awareness.getStates().has(clientId);
    for (const { doc, awareness } of entries) {
      tabs.ws.send(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID])));
    }
    await waitFor(
      () => entries.every(({ doc }) => seen(doc.clientID)),
      5_000,
      'three entries at the watcher',
    );

    // The middle one is taken away by its owner.
    const middle = entries[1]!;
    middle.awareness.setLocalState(null);
    tabs.ws.send(
      awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(middle.awareness, [middle.doc.clientID])),
    );
    await waitFor(() => !seen(middle.doc.clientID), 5_000, 'the removed entry to vanish');

    // The socket dies without a goodbye: the two it still had vanish for everyone still there.
    tabs.ws.terminate();
    await waitFor(
      () => !seen(entries[0]!.doc.clientID) && !seen(entries[2]!.doc.clientID),
      5_000,
      'the other two entries to vanish',
    );
    await waitFor(() => watcher.provider.awareness.getStates().size === 1, 5_000, 'only the watcher left');
    for (const { doc, awareness } of entries) {
      awareness.destroy();
      doc.destroy();
    }
  });
});
