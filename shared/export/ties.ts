/**
 * Ties in a ranking by votes (docs/export.md#ties): goals with the same number of votes share a
 * place, shown as such, while the export keeps their distinct positions. Pure, for the export and
 * the interface alike.
 */

export interface Standing {
  /** The place shared with the equals: one more than the number of entries with more votes ("1, 2, 2, 4"). */
  place: number;
  /** Another entry has exactly the same votes. */
  tied: boolean;
}

/** The standing of each vote count in `votes` (in any order), at the same index. */
export function standings(votes: readonly number[]): Standing[] {
  const counts = new Map<number, number>();
  for (const value of votes) counts.set(value, (counts.get(value) ?? 0) + 1);
  return votes.map((value) => {
    let ahead = 0;
    for (const [other, count] of counts) if (other > value) ahead += count;
    return { place: ahead + 1, tied: (counts.get(value) ?? 0) > 1 };
  });
}
