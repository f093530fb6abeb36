/**
 * The agreed-goals export (shared/export, docs/http.md#export, docs/export.md#agreed-goals-export): a pure function from goals, votes and
 * agreement to the downloaded document, which always validates against the shipped JSON Schema.
 */
import { describe, expect, it } from 'vitest';
import type { Goal } from '../../shared/board/layout';
import {
  buildGoalsExport,
  EXPORT_SCHEMA,
  exportFileName,
  titleSlug,
  type ExportInput,
  type GoalsExport,
} from '../../shared/export/goals-export';
import type { Votes } from '../../shared/session/voting';
import { exportValidator, shippedSchema } from '../helpers/export-schema';

const validate = exportValidator();

const BOARD = {
  id: 'BoardId0000000000000001',
  title: 'Social team kickoff',
  url: 'https://atelier.test/b/BoardId0000000000000001',
};
const NOW = new Date('2026-11-26T10:00:00.000Z');
const T0 = 1_790_000_000_000;

/** A goal as the board's reader returns it; only `id`, `title` and `createdAt` are required here. */
function goal(id: string, createdAt: number, fields: Partial<Goal> = {}): Goal {
  return {
    id,
    title: `Goal ${id}`,
    why: '',
    metric: '',
    baseline: '',
    target: '',
    due: null,
    owner: '',
    authorId: '',
    createdAt,
    order: '',
    ...fields,
  };
}

const A = goal('goal-aaaa-0001', T0, {
  title: 'Grow our audience',
  why: 'Leads for sales',
  metric: 'Followers',
  baseline: '1,200',
  target: '5,000',
  due: '2027-03-31',
  owner: 'Camille',
});
const B = goal('goal-bbbb-0002', T0 + 1_000, { title: 'Increase brand awareness' });
const C = goal('goal-cccc-0003', T0 + 2_000, { title: 'Measure ROI' });
const D = goal('goal-dddd-0004', T0 + 3_000, { title: 'Know our audience' });

/** Votes: C 4, A 3, D 2, B 0, by three voters (9 votes). */
const VOTES: Votes = {
  'voter-ana-0001': { [C.id]: 3, [A.id]: 2 },
  'voter-ben-0002': { [A.id]: 1, [D.id]: 2 },
  'voter-clo-0003': { [C.id]: 1 },
};

function input(overrides: Partial<ExportInput> = {}): ExportInput {
  return {
    board: BOARD,
    goals: [A, B, C, D],
    votes: VOTES,
    voting: { open: true, revealed: true, votesPerPerson: 5, maxPerItem: 3 },
    agreed: [C.id, A.id, B.id],
    commitments: [],
    nextCheckIn: null,
    showVotes: true,
    status: 'agreed',
    now: NOW,
    ...overrides,
  };
}

/** Builds the export, checks it against the schema, and returns it. */
function build(overrides: Partial<ExportInput> = {}): GoalsExport {
  const exported = buildGoalsExport(input(overrides));
  expect(validate(exported)).toEqual([]);
  return exported;
}

const summary = (exported: GoalsExport) =>
  exported.goals.map((g) => ({ rank: g.rank, id: g.id, status: g.status, votes: g.votes }));

describe('buildGoalsExport', () => {
  it('[export#schema] has the contract’s envelope: schema, board, exportedAt, voting', () => {
    const exported = build();
    expect(exported.schema).toBe('atelier/goals-export@1');
    expect(EXPORT_SCHEMA).toBe('atelier/goals-export@1');
    expect(exported.board).toEqual(BOARD);
    expect(exported.exportedAt).toBe('2026-11-26T10:00:00.000Z');
    expect(exported.voting).toEqual({ votesPerPerson: 5, voters: 3, votesCast: 9 });
    // The contract's five fields, plus the wrap-up's additive commitments and nextCheckIn.
    expect(Object.keys(exported).sort()).toEqual([
      'board',
      'commitments',
      'exportedAt',
      'goals',
      'nextCheckIn',
      'schema',
      'voting',
    ]);
  });

  it('[export#which-goals] lists only the agreed goals by default, each with status "agreed"', () => {
    const exported = build();
    expect(summary(exported)).toEqual([
      { rank: 1, id: C.id, status: 'agreed', votes: 4 },
      { rank: 2, id: A.id, status: 'agreed', votes: 3 },
      { rank: 3, id: B.id, status: 'agreed', votes: 0 },
    ]);
  });

  it('[export#which-goals] lists every goal with status "agreed" or "proposed" for status "all"', () => {
    const exported = build({ status: 'all' });
    expect(summary(exported)).toEqual([
      { rank: 1, id: C.id, status: 'agreed', votes: 4 },
      { rank: 2, id: A.id, status: 'agreed', votes: 3 },
      { rank: 3, id: D.id, status: 'proposed', votes: 2 },
      { rank: 4, id: B.id, status: 'agreed', votes: 0 },
    ]);
  });

  it('[export#fields] exports a goal’s fields exactly as they are, in the contract’s shape', () => {
    const exported = build({ status: 'all' });
    const a = exported.goals.find((g) => g.id === A.id);
    expect(a).toEqual({
      rank: 2,
      id: A.id,
      title: 'Grow our audience',
      why: 'Leads for sales',
      metric: 'Followers',
      baseline: '1,200',
      target: '5,000',
      due: '2027-03-31',
      owner: 'Camille',
      status: 'agreed',
      votes: 3,
      tied: false,
    });
    // No authorship, creation time or order leaks into the export.
    for (const exportedGoal of exported.goals) {
      expect(Object.keys(exportedGoal).sort()).toEqual(
        [
          'baseline',
          'due',
          'id',
          'metric',
          'owner',
          'rank',
          'status',
          'target',
          'tied',
          'title',
          'votes',
          'why',
        ].sort(),
      );
    }
  });

  it('[export#hidden-votes] uses empty strings for fields not filled and null for no due date', () => {
    const exported = build({ status: 'all' });
    expect(exported.goals.find((g) => g.id === B.id)).toEqual({
      rank: 4,
      id: B.id,
      title: 'Increase brand awareness',
      why: '',
      metric: '',
      baseline: '',
      target: '',
      due: null,
      owner: '',
      status: 'agreed',
      votes: 0,
      tied: false,
    });
  });

  it('[export#order-and-rank] sorts by votes (desc), ties by creation time, then by id', () => {
    // E and F are created at the same moment as B; F's id sorts before E's.
    const E = goal('goal-eeee-0005', T0 + 1_000);
    const F = goal('goal-0000-0006', T0 + 1_000);
    const G = goal('goal-gggg-0007', T0 - 5_000);
    const votes: Votes = {
      'voter-ana-0001': { [E.id]: 2, [F.id]: 2, [B.id]: 2, [A.id]: 1 },
      'voter-ben-0002': { [D.id]: 1, [G.id]: 1 },
    };
    const exported = build({ goals: [E, A, F, B, D, G], votes, status: 'all' });
    expect(exported.goals.map((g) => [g.id, g.votes])).toEqual([
      [F.id, 2],
      [B.id, 2],
      [E.id, 2],
      [G.id, 1],
      [A.id, 1],
      [D.id, 1],
    ]);
  });

  it('[export#order-and-rank] ranks are the positions in the list, starting at 1, whatever the filter', () => {
    for (const status of ['agreed', 'all'] as const) {
      for (const showVotes of [true, false]) {
        const exported = build({ status, showVotes });
        expect(exported.goals.map((g) => g.rank)).toEqual(exported.goals.map((_, index) => index + 1));
      }
    }
  });

  it('[export#ties] marks goals with the same votes tied, and keeps their distinct ranks', () => {
    // C 4, B 2, D 2, A 1: B and D are tied.
    const votes: Votes = {
      'voter-ana-0001': { [C.id]: 3, [B.id]: 2 },
      'voter-ben-0002': { [C.id]: 1, [D.id]: 2, [A.id]: 1 },
    };
    const exported = build({ votes, status: 'all' });
    expect(exported.goals.map((g) => ({ rank: g.rank, id: g.id, votes: g.votes, tied: g.tied }))).toEqual([
      { rank: 1, id: C.id, votes: 4, tied: false },
      { rank: 2, id: B.id, votes: 2, tied: true },
      { rank: 3, id: D.id, votes: 2, tied: true },
      { rank: 4, id: A.id, votes: 1, tied: false },
    ]);
  });

  it('[export#ties] counts ties among the exported goals only: a tie with a goal left out is no tie', () => {
    // D (not agreed) has as many votes as B (agreed): tied in the full list, not among the agreed.
    const votes: Votes = { 'voter-ana-0001': { [C.id]: 3, [B.id]: 2, [D.id]: 2 } };
    const agreedOnly = build({ votes, agreed: [C.id, B.id] });
    expect(agreedOnly.goals.map((g) => [g.id, g.tied])).toEqual([
      [C.id, false],
      [B.id, false],
    ]);
    const all = build({ votes, agreed: [C.id, B.id], status: 'all' });
    expect(all.goals.filter((g) => g.tied).map((g) => g.id)).toEqual([B.id, D.id]);
  });

  it('[export#ties][export#hidden-votes] has no tied field while the votes are hidden, so that it says nothing of them', () => {
    for (const votes of [VOTES, {}]) {
      const hidden = build({ votes, showVotes: false, status: 'all' });
      for (const exportedGoal of hidden.goals) expect('tied' in exportedGoal).toBe(false);
    }
  });

  it('[http#export][export#hidden-votes] while votes are hidden: votes null and goals in creation order, saying nothing of the tallies', () => {
    const hidden = build({ showVotes: false, status: 'all' });
    expect(summary(hidden)).toEqual([
      { rank: 1, id: A.id, status: 'agreed', votes: null },
      { rank: 2, id: B.id, status: 'agreed', votes: null },
      { rank: 3, id: C.id, status: 'agreed', votes: null },
      { rank: 4, id: D.id, status: 'proposed', votes: null },
    ]);
    const agreedOnly = build({ showVotes: false });
    expect(agreedOnly.goals.map((g) => [g.id, g.votes])).toEqual([
      [A.id, null],
      [B.id, null],
      [C.id, null],
    ]);
    // The same export with other votes is the same document: the order leaks nothing.
    const otherVotes = build({ showVotes: false, status: 'all', votes: { 'voter-ana-0001': { [D.id]: 3 } } });
    expect(otherVotes.goals).toEqual(hidden.goals);
  });

  it('[http#export][export#hidden-votes] keeps creation order when hidden, ties by id, whatever order the goals arrive in', () => {
    const E = goal('goal-zzzz-0005', T0);
    const F = goal('goal-0000-0006', T0);
    const exported = build({ goals: [D, E, C, F, B, A], showVotes: false, status: 'all' });
    expect(exported.goals.map((g) => g.id)).toEqual([F.id, A.id, E.id, B.id, C.id, D.id]);
  });

  it('[session#votes][export#fields] voters counts people holding at least one vote and votesCast the votes held, those on deleted goals included; only tallies skip deleted goals', () => {
    const gone = 'goal-gone-0009';
    const votes: Votes = {
      'voter-ana-0001': { [A.id]: 2, [gone]: 3 },
      'voter-ben-0002': { [gone]: 2 },
      'voter-clo-0003': {},
      'voter-dan-0004': { [B.id]: 1 },
    };
    const exported = build({ votes, status: 'all', agreed: [A.id, gone] });
    // As in the session view: a deletion must not move what anyone can read before the reveal.
    expect(exported.voting).toEqual({ votesPerPerson: 5, voters: 3, votesCast: 8 });
    expect(summary(exported).find((g) => g.id === A.id)).toEqual({
      rank: 1,
      id: A.id,
      status: 'agreed',
      votes: 2,
    });
    expect(exported.goals.map((g) => g.id)).not.toContain(gone);
    // voters and votesCast are shown even while tallies are hidden (docs/session.md#votes: participants see them).
    expect(build({ votes, showVotes: false }).voting).toEqual({ votesPerPerson: 5, voters: 3, votesCast: 8 });
  });

  it('[export#fields] a deleted goal is no longer agreed: an agreed id with no goal is not exported', () => {
    const exported = build({ goals: [A, B], agreed: [C.id, D.id] });
    expect(exported.goals).toEqual([]);
  });

  it('[export#agreed-goals-export] a board with no agreed goal exports "goals": []', () => {
    expect(build({ agreed: [] }).goals).toEqual([]);
    expect(build({ agreed: [], showVotes: false }).goals).toEqual([]);
    expect(build({ goals: [], votes: {}, agreed: [] })).toEqual({
      schema: 'atelier/goals-export@1',
      board: BOARD,
      exportedAt: '2026-11-26T10:00:00.000Z',
      voting: { votesPerPerson: 5, voters: 0, votesCast: 0 },
      goals: [],
      commitments: [],
      nextCheckIn: null,
    });
  });

  it('[export#schema] every export validates against the JSON Schema, with full-length text and every status', () => {
    const long = goal('goal-long-0010', T0 + 9_000, {
      title: 't'.repeat(500),
      why: 'w'.repeat(500),
      metric: 'm'.repeat(500),
      baseline: 'b'.repeat(500),
      target: 'x'.repeat(500),
      owner: 'o'.repeat(500),
      due: '2028-02-29',
    });
    const board = { ...BOARD, title: 'é'.repeat(120) };
    for (const status of ['agreed', 'all'] as const) {
      for (const showVotes of [true, false]) {
        for (const agreed of [[], [long.id], [A.id, B.id, C.id, D.id, long.id]]) {
          const exported = buildGoalsExport(
            input({ board, goals: [A, B, C, D, long], status, showVotes, agreed }),
          );
          expect(validate(exported), `${status} ${showVotes} ${agreed.length}`).toEqual([]);
          // What a download carries is the JSON text: it validates too.
          expect(validate(JSON.parse(JSON.stringify(exported)))).toEqual([]);
        }
      }
    }
  });
});

describe('the export JSON Schema', () => {
  const valid = (): Record<string, unknown> =>
    JSON.parse(JSON.stringify(buildGoalsExport(input({ status: 'all' })))) as Record<string, unknown>;
  const withGoal = (change: Record<string, unknown>): Record<string, unknown> => {
    const document = valid();
    const goals = document.goals as Record<string, unknown>[];
    goals[0] = { ...goals[0], ...change };
    return document;
  };

  it('[export#schema] is a draft 2020-12 schema for atelier/goals-export@1', () => {
    expect(shippedSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(shippedSchema.properties.schema).toEqual({ const: EXPORT_SCHEMA });
  });

  it('[export#additive-fields] accepts the additive wrap-up fields commitments and nextCheckIn', () => {
    const document = {
      ...valid(),
      commitments: [{ text: 'Invite the team to sales meetings', owner: 'Camille' }],
      nextCheckIn: '2027-01-15',
    };
    expect(validate(document)).toEqual([]);
    expect(validate({ ...valid(), nextCheckIn: null })).toEqual([]);
  });

  it('[export#additive-fields][export#ties] accepts goals with or without tied (older documents stay valid), and only a boolean', () => {
    const withoutTied = valid();
    for (const exportedGoal of withoutTied.goals as Record<string, unknown>[]) delete exportedGoal.tied;
    expect(validate(withoutTied)).toEqual([]);
    expect(validate(withGoal({ tied: true }))).toEqual([]);
    expect(validate(withGoal({ tied: 'yes' }))).not.toEqual([]);
    expect(validate(withGoal({ tied: null }))).not.toEqual([]);
    expect(shippedSchema.$id).toBe('urn:atelier:schema:goals-export-1');
    expect(shippedSchema.properties.goals.items.required).not.toContain('tied');
  });

  it('[export#schema] rejects a document without goals, or with another schema name', () => {
    const document = valid();
    delete document.goals;
    expect(validate(document)).not.toEqual([]);
    expect(validate({ ...valid(), schema: 'atelier/goals-export@2' })).not.toEqual([]);
    expect(validate({ ...valid(), voting: { votesPerPerson: 5, voters: 1 } })).not.toEqual([]);
  });

  it('[export#which-goals] rejects a goal with a bad status, a missing field, a bad due date or negative votes', () => {
    expect(validate(withGoal({ status: 'accepted' }))).not.toEqual([]);
    expect(validate(withGoal({ status: 'all' }))).not.toEqual([]);
    expect(validate(withGoal({ rank: 0 }))).not.toEqual([]);
    expect(validate(withGoal({ due: '2027-02-30' }))).not.toEqual([]);
    expect(validate(withGoal({ due: '' }))).not.toEqual([]);
    expect(validate(withGoal({ votes: -1 }))).not.toEqual([]);
    expect(validate(withGoal({ votes: 1.5 }))).not.toEqual([]);
    expect(validate(withGoal({ title: 't'.repeat(501) }))).not.toEqual([]);
    expect(validate(withGoal({ id: '__x' }))).not.toEqual([]);
    const missing = withGoal({});
    delete (missing.goals as Record<string, unknown>[])[0]?.owner;
    expect(validate(missing)).not.toEqual([]);
    expect(validate({ ...valid(), exportedAt: 'yesterday' })).not.toEqual([]);
  });
});

describe('titleSlug and exportFileName', () => {
  it.each([
    ['Lancement de l’équipe — Q1', 'lancement-de-l-equipe-q1'],
    ['  Hello,   World!! ', 'hello-world'],
    ['日本語', 'board'],
    ['', 'board'],
    ['Ça va ?', 'ca-va'],
    ["Lancement de l'équipe sociale", 'lancement-de-l-equipe-sociale'],
    ['ÉTÉ 2027 — Réseaux sociaux', 'ete-2027-reseaux-sociaux'],
    ['---', 'board'],
    ['Kickoff', 'kickoff'],
    ['a"b\\c/d', 'a-b-c-d'],
  ])('[http#export] slugs %j as %j', (title, slug) => {
    expect(titleSlug(title)).toBe(slug);
  });

  it('[http#export] always gives lower-case ASCII letters, digits and single inner dashes', () => {
    for (const title of ['Ünïcödé ☃ title', 'Tab\there', 'x'.repeat(120), '🎉 Launch 🎉', 'Ω≈ç√∫']) {
      expect(titleSlug(title)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });

  it('[http#export] names the file "<slug>-goals.json"', () => {
    expect(exportFileName('Lancement de l’équipe — Q1')).toBe('lancement-de-l-equipe-q1-goals.json');
    expect(exportFileName('日本語')).toBe('board-goals.json');
  });
});
