/**
 * The observer link (docs/http.md#observer-link): a facilitator makes or revokes it; the observer
 * page reads which board its key opens.
 */
import { Hono, type Context } from 'hono';
import type { Observers } from '../../observers';
import { bearerToken, spend, type BoardRouteLimits } from './boards';

export function observerRoutes(
  observers: Observers,
  originOf: (c: Context) => string,
  limits: Pick<BoardRouteLimits, 'creations' | 'addressOf'>,
): Hono {
  return (
    new Hono()
      // Each new key is a stored row: counted as a board creation is.
      .post('/boards/:id/observer', async (c) => {
        spend(c, limits.creations, limits.addressOf(c), 'new links');
        return c.json(await observers.create(c.req.param('id'), bearerToken(c), originOf(c)), 201);
      })
      .delete('/boards/:id/observer', async (c) => {
        await observers.revoke(c.req.param('id'), bearerToken(c));
        return c.json({ revoked: true });
      })
      .get('/observe/:key', async (c) => {
        c.header('Cache-Control', 'no-store');
        return c.json(await observers.resolve(c.req.param('key')));
      })
  );
}
