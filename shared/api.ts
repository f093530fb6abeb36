/**
 * The HTTP API's bodies and answers (docs/http.md#conventions). Schemas validate what arrives at the server;
 * the types describe what the client receives.
 */
import * as v from 'valibot';
import { LIMIT, LOCALES, TEMPLATE_IDS, type Locale, type TemplateId } from './board/layout';
import type { Phase } from './session/phases';
import type { Role } from './session/state';
import { textField } from './validate';

/** Facilitator keys are made by the server; anything longer than this is not one. */
const KEY_MAX_LENGTH = 128;

export const CreateBoardBody = v.object({
  title: v.optional(textField(LIMIT.title, 'title')),
  locale: v.optional(v.picklist(LOCALES, 'locale must be "fr" or "en"')),
  template: v.optional(v.picklist(TEMPLATE_IDS, 'template must be "social-kickoff" or "blank"')),
});
export type CreateBoardBody = v.InferOutput<typeof CreateBoardBody>;

export const JoinBody = v.object({
  name: textField(LIMIT.name, 'name'),
  facilitatorKey: v.optional(
    v.pipe(
      v.string('facilitatorKey must be text'),
      v.maxLength(KEY_MAX_LENGTH, 'facilitatorKey is not valid'),
    ),
  ),
});
export type JoinBody = v.InferOutput<typeof JoinBody>;

export interface CreatedBoard {
  id: string;
  title: string;
  participantUrl: string;
  facilitatorUrl: string;
  facilitatorKey: string;
}

export interface BoardSummary {
  id: string;
  title: string;
  locale: Locale;
  template: TemplateId;
  phase: Phase;
  createdAt: number;
  goals: number;
  agreed: number;
  participants: number;
  /** Addition to docs/http.md#read-a-board: the share link, built from PUBLIC_URL like the one `POST` returns. */
  participantUrl: string;
}

export interface Joined {
  participantId: string;
  token: string;
  role: Role;
}

/** Titles used when a board is created without one. */
export const DEFAULT_TITLES: Record<TemplateId, Record<Locale, string>> = {
  'social-kickoff': { fr: "Lancement de l'équipe sociale", en: 'Social team kickoff' },
  blank: { fr: 'Nouveau tableau', en: 'New board' },
};
