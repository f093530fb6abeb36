/**
 * The payloads of the check-in requests (docs/session.md#check-ins). The values are checked again
 * by the commands that write them (shared/board/checkins.ts).
 */
import * as v from 'valibot';
import { CHECKIN_LABEL_MAX, CHECKIN_NOTE_MAX, CONFIDENCES, MAX_CHECKIN_VALUE } from '../board/checkins';
import { isIsoDate } from '../board/read';
import { isId } from '../ids';

const Id = (what: string) =>
  v.pipe(
    v.string(`${what} must be text`),
    v.check((id: string) => isId(id), `${what} is not an id`),
  );

export const CheckinPayload = v.variant(
  'action',
  [
    v.object({
      action: v.literal('start'),
      date: v.pipe(
        v.string('date must be text'),
        v.check((date: string) => isIsoDate(date), 'date must be a day (YYYY-MM-DD)'),
      ),
      label: v.optional(
        v.pipe(
          v.string('label must be text'),
          v.trim(),
          v.maxLength(CHECKIN_LABEL_MAX, `label is limited to ${CHECKIN_LABEL_MAX} characters`),
        ),
        '',
      ),
    }),
    v.object({ action: v.literal('close'), checkinId: Id('checkinId') }),
  ],
  'action must be start or close',
);

export const CheckinRecordPayload = v.object({
  checkinId: Id('checkinId'),
  goalId: Id('goalId'),
  current: v.pipe(
    v.number('current must be a number'),
    v.finite('current must be a finite number'),
    v.minValue(-MAX_CHECKIN_VALUE, `current is at least -${MAX_CHECKIN_VALUE}`),
    v.maxValue(MAX_CHECKIN_VALUE, `current is at most ${MAX_CHECKIN_VALUE}`),
  ),
  confidence: v.picklist(CONFIDENCES, 'confidence must be on-track, at-risk or off-track'),
  note: v.optional(
    v.pipe(
      v.string('note must be text'),
      v.trim(),
      v.maxLength(CHECKIN_NOTE_MAX, `note is limited to ${CHECKIN_NOTE_MAX} characters`),
    ),
    '',
  ),
});
