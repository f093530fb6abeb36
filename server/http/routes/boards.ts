/** `/api/boards`: create, read, join and export a board (docs/http.md#http-api). */
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { CreateBoardBody, JoinBody } from '../../../shared/api';
import { AppError } from '../../../shared/errors';
import { CSV_DELIMITERS, toCsv, type CsvDelimiter } from '../../../shared/export/csv';
import { boardFileName, parseBoardFile, type BoardFileVariant } from '../../../shared/export/board-file';
import { EXPORT_STATUSES, exportFileName, type ExportStatus } from '../../../shared/export/goals-export';
import { CHECK_IN_FILE_NAME } from '../../../shared/export/ics';
import { toMarkdown } from '../../../shared/export/markdown';
import { summaryFileName } from '../../../shared/export/summary';
import { parseInput } from '../../../shared/validate';
import type { BoardService } from '../../boards';
import type { RateLimiter } from '../../lib/rate-limit';

export interface BoardRouteLimits {
  /** Board creations per address. */
  creations: RateLimiter;
  /** Joins per address (each join is a new participant row). */
  joins: RateLimiter;
  /** Exports per address, in KiB of export sent: a big board's export costs more than a small one's. */
  exports: RateLimiter;
  addressOf: (c: Context) => string;
}

/** Spends one unit of `key`'s budget, or refuses with 429 and when to try again (Retry-After). */
export function spend(c: Context, limiter: RateLimiter, key: string, what: string): void {
  if (limiter.take(key)) return;
  c.header('Retry-After', String(Math.max(1, Math.ceil(limiter.waitMs(key) / 1000))));
  throw new AppError('rate_limited', `Too many ${what} from this address: try again later.`);
}

/**
 * Runs `work` after every earlier one of the same key has finished. An export is charged for its
 * size only once built, so the exports of one address go one at a time: each sees what the
 * previous one cost before it is let in, and a burst of simultaneous requests cannot all slip in
 * on the same budget.
 */
function oneAtATime(): <T>(key: string, work: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return (key, work) => {
    const result = (tails.get(key) ?? Promise.resolve()).then(work);
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}

const STATUS_REFUSED = 'status may only be "all" (or left out for agreed goals).';
/**
 * The export's `?status=`: "all", or left out for the agreed goals. Naming the default
 * ("agreed") is refused like any other value (docs/http.md#http-api).
 */
const ExportStatusQuery = v.pipe(
  v.optional(v.pipe(v.picklist(EXPORT_STATUSES, STATUS_REFUSED), v.notValue('agreed', STATUS_REFUSED))),
  // Not optional's default: valibot checks a default against the schema it stands in for.
  v.transform((status): ExportStatus => status ?? 'agreed'),
);

/**
 * The CSV's `?delimiter=`: "comma" (the default) or "semicolon", for spreadsheets that read a
 * comma as the decimal mark (docs/http.md#summary-exports).
 */
const DelimiterQuery = v.pipe(
  v.optional(
    v.picklist(CSV_DELIMITERS, 'delimiter may only be "comma" or "semicolon" (or left out for a comma).'),
  ),
  v.transform((delimiter): CsvDelimiter => delimiter ?? 'comma'),
);

/** `?template=1` asks for the whole board's template variant; anything else but nothing is refused. */
const TemplateQuery = v.pipe(
  v.optional(v.literal('1', 'template may only be "1" (or left out for the whole board).')),
  v.transform((value) => value === '1'),
);

/**
 * The request body as a JSON object; an empty body is `{}`. A body must say it is JSON: a form or
 * text/plain post is what another site can make a visitor's browser send without asking.
 */
async function jsonBody(c: Context, what = 'The body'): Promise<object> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type)) {
    throw new AppError('unsupported_media_type', 'Send the body as JSON (Content-Type: application/json).');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError('bad_request', `${what} is not valid JSON.`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('bad_request', `${what} must be a JSON object.`);
  }
  return body;
}

/** The token of `Authorization: Bearer <token>`; null without the header, '' (refused later) when malformed. */
export function bearerToken(c: Context): string | null {
  const authorization = c.req.header('authorization');
  return authorization ? (/^Bearer\s+(\S+)$/i.exec(authorization)?.[1] ?? '') : null;
}

export function boardRoutes(
  boards: BoardService,
  originOf: (c: Context) => string,
  limits: BoardRouteLimits,
): Hono {
  const exporting = oneAtATime();

  async function sendSummary(c: Context, format: 'md' | 'csv'): Promise<Response> {
    const status = parseInput(ExportStatusQuery, c.req.query('status'));
    const delimiter = format === 'csv' ? parseInput(DelimiterQuery, c.req.query('delimiter')) : 'comma';
    const token = bearerToken(c);
    const address = limits.addressOf(c);
    const { title, text } = await exporting(address, async () => {
      spend(c, limits.exports, address, 'exports');
      const summary = await boards.exportSummary(
        c.req.param('id') ?? '',
        { status, token },
        originOf(c),
        address,
      );
      const locale = summary.board.locale;
      const text = format === 'md' ? toMarkdown(summary, locale) : toCsv(summary, locale, delimiter);
      limits.exports.charge(address, Math.ceil(Buffer.byteLength(text) / 1024) - 1);
      return { title: summary.board.title, text };
    });
    return c.body(text, 200, {
      'Content-Type': format === 'md' ? 'text/markdown; charset=utf-8' : 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${summaryFileName(title, format)}"`,
      'Cache-Control': 'no-store',
    });
  }

  return (
    new Hono()
      .post('/', async (c) => {
        const body = parseInput(CreateBoardBody, await jsonBody(c));
        spend(c, limits.creations, limits.addressOf(c), 'new boards');
        return c.json(await boards.create(body, originOf(c)), 201);
      })
      // docs/http.md#import-a-board: the body is a whole-board file; a new board is made from it.
      .post('/import', async (c) => {
        const file = parseBoardFile(await jsonBody(c, 'The file'));
        spend(c, limits.creations, limits.addressOf(c), 'new boards');
        return c.json(await boards.importBoard(file, originOf(c)), 201);
      })
      .get('/:id', async (c) => {
        return c.json(await boards.summary(c.req.param('id'), originOf(c), limits.addressOf(c)));
      })
      .get('/:id/export', async (c) => {
        const status = parseInput(ExportStatusQuery, c.req.query('status'));
        const token = bearerToken(c);
        const address = limits.addressOf(c);
        const { title, text } = await exporting(address, async () => {
          // Let in while the address's budget is not spent (1 KiB), then charged for the rest.
          spend(c, limits.exports, address, 'exports');
          const exported = await boards.exportGoals(
            c.req.param('id'),
            { status, token },
            originOf(c),
            address,
          );
          const text = JSON.stringify(exported.body, null, 2) + '\n';
          limits.exports.charge(address, Math.ceil(Buffer.byteLength(text) / 1024) - 1);
          return { title: exported.title, text };
        });
        return c.body(text, 200, {
          'Content-Type': 'application/json',
          'Content-Disposition': `attachment; filename="${exportFileName(title)}"`,
          'Cache-Control': 'no-store',
        });
      })
      // The summary as Markdown and the goals as CSV (docs/http.md#summary-exports): the JSON
      // export's status, token and privacy rules, and its budget per address.
      .get('/:id/export.md', (c) => sendSummary(c, 'md'))
      .get('/:id/export.csv', (c) => sendSummary(c, 'csv'))
      .get('/:id/checkin.ics', async (c) => {
        // docs/http.md#check-in-calendar
        const ics = await boards.checkInCalendar(c.req.param('id'), originOf(c), limits.addressOf(c));
        return c.body(ics, 200, {
          'Content-Type': 'text/calendar; charset=utf-8',
          'Content-Disposition': `attachment; filename="${CHECK_IN_FILE_NAME}"`,
          'Cache-Control': 'no-store',
        });
      })
      // docs/http.md#download-the-whole-board: a facilitator's token only.
      .get('/:id/board.json', async (c) => {
        const template = parseInput(TemplateQuery, c.req.query('template'));
        const address = limits.addressOf(c);
        const { title, text, variant } = await exporting(address, async () => {
          spend(c, limits.exports, address, 'exports');
          const variant: BoardFileVariant = template ? 'template' : 'board';
          const exported = await boards.exportBoard(
            c.req.param('id'),
            { variant, token: bearerToken(c) },
            address,
          );
          const text = JSON.stringify(exported.body, null, 2) + '\n';
          limits.exports.charge(address, Math.ceil(Buffer.byteLength(text) / 1024) - 1);
          return { title: exported.title, text, variant };
        });
        return c.body(text, 200, {
          'Content-Type': 'application/json',
          'Content-Disposition': `attachment; filename="${boardFileName(title, variant)}"`,
          'Cache-Control': 'no-store',
        });
      })
      .post('/:id/join', async (c) => {
        const body = parseInput(JoinBody, await jsonBody(c));
        const address = limits.addressOf(c);
        spend(c, limits.joins, address, 'joins');
        return c.json(await boards.join(c.req.param('id'), body, address));
      })
  );
}
