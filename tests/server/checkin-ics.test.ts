/**
 * The next check-in as a calendar file over HTTP (docs/http.md#check-in-calendar), against a real
 * server: the date written through a real y-websocket provider, as the facilitator's browser does.
 */
import { describe, expect, it } from 'vitest';
import { setNextCheckIn } from '../../shared/board/commitments';
import { expectErrorAnswer, waitFor } from '../helpers/expect';
import { useServer } from '../helpers/fixtures';
import { workshop } from '../helpers/workshop';

async function answer(url: string) {
  const response = await fetch(url);
  return { status: response.status, headers: response.headers, body: await response.json() };
}

const unfold = (ics: string) => ics.replace(/\r\n /g, '');

describe('GET /api/boards/:id/checkin.ics', () => {
  const server = useServer();

  it('[http#check-in-calendar] serves the date set on the board as an all-day event with its title and link', async () => {
    const { board, facilitator } = await workshop(server, 0, {
      title: 'Lancement, équipe; Q1',
      locale: 'fr',
    });
    const url = `${server.url}/api/boards/${board.id}/checkin.ics`;

    expectErrorAnswer(await answer(url), 404, 'not_found');

    const client = await server.sync.syncedProvider(server, board.id, { token: facilitator.token });
    setNextCheckIn(client.doc, '2027-03-31');
    let response = new Response();
    await waitFor(
      async () => {
        response = await fetch(url);
        return response.status === 200;
      },
      5_000,
      'the check-in date on the server',
    );
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="atelier-check-in.ics"');
    const ics = await response.text();
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    const lines = unfold(ics).split('\r\n');
    expect(lines).toContain('DTSTART;VALUE=DATE:20270331');
    expect(lines).toContain('SUMMARY:Point régulier : Lancement\\, équipe\\; Q1');
    expect(lines).toContain(`URL:${board.participantUrl}`);
    expect(lines).toContain(`UID:check-in-${board.id}@atelier`);

    // Cleared again: no date, no file.
    setNextCheckIn(client.doc, null);
    await waitFor(async () => (await fetch(url)).status === 404, 5_000, 'the date cleared on the server');
  });

  it('[http#check-in-calendar] answers 404 unknown_board for a board that does not exist', async () => {
    expectErrorAnswer(
      await answer(`${server.url}/api/boards/NoSuchBoardAtAllHere00/checkin.ics`),
      404,
      'unknown_board',
    );
  });
});
