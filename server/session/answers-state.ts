/** How held answers are stored with the session state (docs/session.md#private-and-anonymous-answers). */
import * as v from 'valibot';
import { LIMIT } from '../../shared/board/layout';
import { ID_PATTERN } from '../../shared/ids';
import type { HeldAnswer, QuestionMode } from '../../shared/session/answers';

export type { HeldAnswer, QuestionMode };

const Id = v.pipe(v.string(), v.regex(ID_PATTERN));
const Key = v.pipe(v.string(), v.maxLength(128));

/** The stored fields, each unreadable one replaced by its empty default. */
export const HeldAnswersSchema = {
  questionModes: v.fallback(v.record(Id, v.object({ private: v.boolean(), anonymous: v.boolean() })), {}),
  heldAnswers: v.fallback(
    v.array(
      v.object({
        id: Id,
        questionId: Id,
        text: v.pipe(v.string(), v.maxLength(LIMIT.text)),
        owner: Key,
        authorId: v.union([Id, v.literal('')]),
        createdAt: v.number(),
      }),
    ),
    [],
  ),
  answerOwners: v.fallback(v.record(Id, Key), {}),
};
