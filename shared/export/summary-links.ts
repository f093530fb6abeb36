/**
 * The summary's challenges and glossary (docs/export.md#summary): each challenge with the titles of
 * the summary's goals that address it, and the glossary entries — plus their Markdown, in the
 * board's language.
 */
import type { GoalLinks } from '../board/goal-links';
import type { Locale } from '../board/layout';
import type { MetricDefinition } from '../board/glossary';

export interface SummaryChallenge {
  title: string;
  /** Titles of the summary's goals that address it, in the summary's order. */
  goals: string[];
}

export interface SummaryLinks {
  challenges: SummaryChallenge[];
  glossary: MetricDefinition[];
}

export function summaryLinks(
  links: Partial<GoalLinks> | undefined,
  goals: ReadonlyArray<{ id: string; title: string }>,
): SummaryLinks {
  return {
    challenges: (links?.challenges ?? []).map((challenge) => ({
      title: challenge.title,
      goals: goals
        .filter((goal) => links?.goalChallenges?.get(goal.id)?.some((c) => c.id === challenge.id) ?? false)
        .map((goal) => goal.title),
    })),
    glossary: (links?.glossary ?? []).map(({ name, definition, formula, owner }) => ({
      name,
      definition,
      formula,
      owner,
    })),
  };
}

const WORDS = {
  en: {
    challenges: 'Challenges',
    addressedBy: 'addressed by',
    unaddressed: 'no goal addresses it yet',
    glossary: 'Metric glossary',
    definition: 'Definition',
    formula: 'Formula or source',
    owner: 'Owner',
    noDefinition: 'no definition yet',
  },
  fr: {
    challenges: 'Défis',
    addressedBy: 'traité par',
    unaddressed: 'aucun objectif ne le traite encore',
    glossary: 'Glossaire des métriques',
    definition: 'Définition',
    formula: 'Formule ou source',
    owner: 'Responsable',
    noDefinition: 'pas encore de définition',
  },
} satisfies Record<Locale, Record<string, string>>;

/**
 * The two sections as Markdown lines (none when the board has neither). `escape` and `colon` are
 * the summary Markdown's own, so these read like the rest.
 */
export function linksMarkdown(
  links: SummaryLinks | undefined,
  locale: Locale,
  escape: (text: string) => string,
  colon: string,
): string[][] {
  const words = WORDS[locale];
  const sections: string[][] = [];
  if (links && links.challenges.length > 0) {
    const lines = [`## ${words.challenges}`, ''];
    for (const challenge of links.challenges) {
      const by =
        challenge.goals.length > 0
          ? `${words.addressedBy} ${challenge.goals.map(escape).join(', ')}`
          : words.unaddressed;
      lines.push(`- ${escape(challenge.title)} (${by})`);
    }
    sections.push(lines);
  }
  if (links && links.glossary.length > 0) {
    const lines = [`## ${words.glossary}`, ''];
    for (const entry of links.glossary) {
      lines.push(
        `- **${escape(entry.name)}**${colon}${entry.definition.trim() ? escape(entry.definition) : words.noDefinition}`,
      );
      if (entry.formula.trim()) lines.push(`   - ${words.formula}${colon}${escape(entry.formula)}`);
      if (entry.owner.trim()) lines.push(`   - ${words.owner}${colon}${escape(entry.owner)}`);
    }
    sections.push(lines);
  }
  return sections;
}
