/** How consent rounds are stored with the session state (docs/session.md#consent-rounds). */
import * as v from 'valibot';
import { ID_PATTERN } from '../../shared/ids';
import { CONSENT_ANSWERS, CONSENT_TEXT_MAX } from '../../shared/session/consent';
import { LIMIT } from '../../shared/board/layout';

const Id = v.pipe(v.string(), v.regex(ID_PATTERN));
const Text = v.pipe(v.string(), v.maxLength(CONSENT_TEXT_MAX));
const Remark = v.object({ text: Text, name: v.optional(v.pipe(v.string(), v.maxLength(LIMIT.name))) });

/** The stored fields, each unreadable one replaced by its empty default. */
export const ConsentSchema = {
  consentRound: v.fallback(
    v.nullable(
      v.object({
        roundId: Id,
        goalId: Id,
        named: v.boolean(),
        openedAt: v.number(),
        answers: v.record(Id, v.object({ answer: v.picklist(CONSENT_ANSWERS), text: Text })),
      }),
    ),
    null,
  ),
  consentResults: v.fallback(
    v.record(
      Id,
      v.object({
        goalId: Id,
        yes: v.pipe(v.number(), v.integer(), v.minValue(0)),
        concerns: v.array(Remark),
        objections: v.array(Remark),
        closedAt: v.number(),
      }),
    ),
    {},
  ),
};
