/**
 * The known name closest to a misspelt one (`baseUrl` → `baseURL`, `max_tokens` → `maxTokens`), or
 * undefined when none is close. Case, `_` and `-` are ignored first; then the edit distance must
 * be at most a third of the name's length.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const folded = fold(name);
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const candidate of known) {
    const candidateFolded = fold(candidate);
    if (candidateFolded === folded) return candidate;
    const distance = editDistance(folded, candidateFolded);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `Unknown X 'name': did you mean Y? Known: a, b, c.` as one clause, for error messages. */
export function unknownNameMessage(what: string, name: string, known: readonly string[]): string {
  const suggestion = closestName(name, known);
  const hint = suggestion === undefined ? '' : ` Did you mean ${suggestion}?`;
  return `Unknown ${what} '${name}'.${hint} Known: ${known.join(', ')}.`;
}

function fold(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}

function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row++) {
    const current = [row];
    for (let column = 1; column <= right.length; column++) {
      const substitution = (previous[column - 1] as number) + (left[row - 1] === right[column - 1] ? 0 : 1);
      current.push(
        Math.min(substitution, (previous[column] as number) + 1, (current[column - 1] as number) + 1),
      );
    }
    previous = current;
  }
  return previous[right.length] as number;
}
