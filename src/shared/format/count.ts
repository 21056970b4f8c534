// A count with its noun, singular or plural: "1 row", "4 rows", "0 statements". Digits are not grouped, so a
// number reads the same in every panel, message and test.

export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
