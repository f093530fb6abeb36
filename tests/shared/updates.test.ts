/**
 * Splitting and writing back Yjs updates (shared/updates.ts; docs/sync.md "Frames"): a large
 * offline backlog goes to the server in parts under the frame limit, and the parts make the same
 * board as the whole.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { addCard, deleteCard, readCards, readQuestions, writeTemplate } from '../../shared/board';
import { encodeStructs, splitUpdate } from '../../shared/updates';

function offlineBacklog(cards: number): { server: Y.Doc; answer: Uint8Array; client: Y.Doc } {
  const server = new Y.Doc();
  writeTemplate(server, { title: 'Kickoff', locale: 'fr', template: 'social-kickoff', createdAt: 1 });
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  const questionId = (readQuestions(client)[0] ?? { id: '' }).id;
  const made: string[] = [];
  for (let i = 0; i < cards; i++) {
    made.push(
      addCard(client, {
        questionId,
        text: `Réponse tapée dans l’avion n° ${i} — ${'x'.repeat(400)}`,
        authorId: 'author-0001',
      }),
    );
  }
  for (const id of made.slice(0, 10)) deleteCard(client, id);
  return { server, answer: Y.encodeStateAsUpdate(client, Y.encodeStateVector(server)), client };
}

describe('updates', () => {
  it('writes a decoded update back byte for byte', () => {
    const { answer } = offlineBacklog(20);
    const { structs, ds } = Y.decodeUpdate(answer);
    expect(encodeStructs(structs, ds.clients)).toEqual(answer);
  });

  it('splits a 2,500-card offline backlog into parts under 1 MiB that make the same board, deletes included', () => {
    const { server, answer, client } = offlineBacklog(2_500);
    expect(answer.length).toBeGreaterThan(1024 * 1024);
    const parts = splitUpdate(answer, 960 * 1024);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(960 * 1024);
    for (const part of parts) Y.applyUpdate(server, part);
    expect(server.store.pendingStructs).toBeNull();
    expect(server.store.pendingDs).toBeNull();
    expect(readCards(server)).toEqual(readCards(client));
    expect(readCards(server)).toHaveLength(2_490);
  });

  it('returns an update that fits as it is', () => {
    const { answer } = offlineBacklog(3);
    expect(splitUpdate(answer, 1024 * 1024)).toEqual([answer]);
  });
});
