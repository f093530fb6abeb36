/** `/api/boards`: create, read and join a board (SPEC §4). */
import { Hono, type Context } from 'hono';
import { CreateBoardBody, JoinBody } from '../../../shared/api';
import { AppError } from '../../../shared/errors';
import { exportFileName, type ExportStatus } from '../../../shared/export/goals-export';
import { parseInput } from '../../../shared/validate';
import type { BoardService } from '../../boards';
import type { RateLimiter } from '../../lib/rate-limit';

export interface BoardRouteLimits {
  /** Board creations per address. */
  creations: RateLimiter;
  /** Joins per address (each join is a new participant row). */
  joins: RateLimiter;
  addressOf: (c: Context) => string;
}

function spend(limiter: RateLimiter, key: string, what: string): void {
  if (!limiter.take(key))
    throw new AppError('rate_limited', `Too many ${what} from this address: try again later.`);
}

/**
 * The request body as a JSON object; an empty body is `{}`. A body must say it is JSON: a form or
 * text/plain post is what another site can make a visitor's browser send without asking.
 */
async function jsonBody(c: Context): Promise<Record<string, unknown>> {
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
    throw new AppError('bad_request', 'The body is not valid JSON.');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('bad_request', 'The body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

export function boardRoutes(
  boards: BoardService,
  originOf: (c: Context) => string,
  limits: BoardRouteLimits,
): Hono {
  return new Hono()
    .post('/', async (c) => {
      const body = parseInput(CreateBoardBody, await jsonBody(c));
      spend(limits.creations, limits.addressOf(c), 'new boards');
      return c.json(await boards.create(body, originOf(c)), 201);
    })
    .get('/:id', async (c) => {
      return c.json(await boards.summary(c.req.param('id'), originOf(c), limits.addressOf(c)));
    })
    .get('/:id/export', async (c) => {
      const status = c.req.query('status');
      if (status !== undefined && status !== 'all') {
        throw new AppError('bad_request', 'status may only be "all" (or left out for agreed goals).');
      }
      const authorization = c.req.header('authorization');
      const token = authorization ? (/^Bearer\s+(\S+)$/i.exec(authorization)?.[1] ?? '') : null;
      const exported = await boards.exportGoals(
        c.req.param('id'),
        { status: (status ?? 'agreed') as ExportStatus, token },
        originOf(c),
        limits.addressOf(c),
      );
      return c.body(JSON.stringify(exported.body, null, 2) + '\n', 200, {
        'Content-Type': 'application/json',
        'Content-Disposition': `attachment; filename="${exportFileName(exported.title)}"`,
        'Cache-Control': 'no-store',
      });
    })
    .post('/:id/join', async (c) => {
      const body = parseInput(JoinBody, await jsonBody(c));
      const address = limits.addressOf(c);
      spend(limits.joins, address, 'joins');
      return c.json(await boards.join(c.req.param('id'), body, address));
    });
}
