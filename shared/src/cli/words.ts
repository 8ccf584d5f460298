/** `1 file`, `2 files`: counts in the CLI's sentences. */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
