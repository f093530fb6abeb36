/** HTTP bodies validated at the edge (docs/http.md#conventions, docs/errors.md#validation) through the shared schemas and `parseInput`. */
import { describe, expect, it } from 'vitest';
import { CreateBoardBody, JoinBody } from '../../shared/api';
import { AppError } from '../../shared/errors';
import { parseInput } from '../../shared/validate';

/** The AppError that parsing `input` throws. */
function refusal(schema: Parameters<typeof parseInput>[0], input: unknown): AppError {
  try {
    parseInput(schema, input);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

describe('CreateBoardBody', () => {
  it('[http#conventions] takes an empty body: every field is optional', () => {
    expect(parseInput(CreateBoardBody, {})).toEqual({});
  });

  it('[http#conventions] takes a full body and trims the title', () => {
    expect(parseInput(CreateBoardBody, { title: '  Kickoff  ', locale: 'fr', template: 'blank' })).toEqual({
      title: 'Kickoff',
      locale: 'fr',
      template: 'blank',
    });
  });

  it('[http#create-a-board][errors#text-limits] takes a title of 120 UTF-16 code units and refuses 121', () => {
    expect(parseInput(CreateBoardBody, { title: 't'.repeat(120) }).title).toHaveLength(120);
    expect(parseInput(CreateBoardBody, { title: '😀'.repeat(60) }).title).toHaveLength(120);
    expect(parseInput(CreateBoardBody, { title: ` ${'t'.repeat(120)} ` }).title).toHaveLength(120);
    const tooLong = refusal(CreateBoardBody, { title: 't'.repeat(121) });
    expect(tooLong.code).toBe('bad_request');
    expect(tooLong.message).toMatch(/title/);
    expect(refusal(CreateBoardBody, { title: '😀'.repeat(61) }).code).toBe('bad_request');
  });

  it('[http#create-a-board] refuses an empty title or one of white space only', () => {
    expect(refusal(CreateBoardBody, { title: '' }).code).toBe('bad_request');
    expect(refusal(CreateBoardBody, { title: ' \n\t ' }).code).toBe('bad_request');
  });

  it('[http#create-a-board] refuses a locale other than fr or en, and a template other than social-kickoff or blank', () => {
    for (const locale of ['de', 'FR', '', 'en-US', 1]) {
      expect(refusal(CreateBoardBody, { locale }).message).toMatch(/locale/);
    }
    for (const template of ['Social-Kickoff', 'kickoff', '', null]) {
      expect(refusal(CreateBoardBody, { template }).message).toMatch(/template/);
    }
  });

  it('[errors#validation] refuses fields of the wrong type and bodies that are not objects', () => {
    for (const input of [{ title: 5 }, { title: null }, { title: ['a'] }, { title: { text: 'a' } }]) {
      expect(refusal(CreateBoardBody, input).code).toBe('bad_request');
    }
    for (const input of [null, undefined, 'title', 42, true]) {
      expect(refusal(CreateBoardBody, input).code).toBe('bad_request');
    }
  });

  it('[errors#validation] drops unknown fields', () => {
    expect(parseInput(CreateBoardBody, { title: 'a', admin: true, id: 'chosen-by-client' })).toEqual({
      title: 'a',
    });
  });
});

describe('JoinBody', () => {
  it('[http#join-a-board] takes a name, trimmed, with an optional facilitator key', () => {
    expect(parseInput(JoinBody, { name: '  Camille ' })).toEqual({ name: 'Camille' });
    expect(parseInput(JoinBody, { name: 'Camille', facilitatorKey: 'k'.repeat(43) })).toEqual({
      name: 'Camille',
      facilitatorKey: 'k'.repeat(43),
    });
  });

  it('[http#join-a-board][errors#text-limits] takes a name of 40 code units and refuses 41, an empty name and a missing one', () => {
    expect(parseInput(JoinBody, { name: 'n'.repeat(40) }).name).toHaveLength(40);
    expect(refusal(JoinBody, { name: 'n'.repeat(41) }).message).toMatch(/name/);
    expect(refusal(JoinBody, { name: '😀'.repeat(21) }).code).toBe('bad_request');
    expect(refusal(JoinBody, { name: '' }).code).toBe('bad_request');
    expect(refusal(JoinBody, { name: '   ' }).code).toBe('bad_request');
    expect(refusal(JoinBody, {}).message).toMatch(/name/);
  });

  it('[errors#text-limits] refuses a name or key of the wrong type and an over-long key', () => {
    expect(refusal(JoinBody, { name: 7 }).code).toBe('bad_request');
    expect(refusal(JoinBody, { name: ['a'] }).code).toBe('bad_request');
    expect(refusal(JoinBody, { name: 'a', facilitatorKey: 123 }).message).toMatch(/facilitatorKey/);
    expect(refusal(JoinBody, { name: 'a', facilitatorKey: null }).code).toBe('bad_request');
    expect(refusal(JoinBody, { name: 'a', facilitatorKey: 'k'.repeat(129) }).code).toBe('bad_request');
  });
});

describe('prototype pollution', () => {
  it('[errors#validation] ignores a "__proto__" key in a parsed JSON body and pollutes nothing', () => {
    const input = JSON.parse('{"__proto__":{"x":1},"name":"a"}') as unknown;
    const output = parseInput(JoinBody, input);
    expect(output).toEqual({ name: 'a' });
    expect(Object.keys(output)).toEqual(['name']);
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect((output as Record<string, unknown>).x).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('[errors#validation] ignores "constructor" and "prototype" keys too', () => {
    const input = JSON.parse(
      '{"constructor":{"prototype":{"x":1}},"prototype":{"x":1},"title":"a"}',
    ) as unknown;
    const output = parseInput(CreateBoardBody, input);
    expect(output).toEqual({ title: 'a' });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
