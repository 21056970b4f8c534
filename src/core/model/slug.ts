// GitHub-style heading anchors, so a section id matches the link the team already uses (#monitoring--alerting).
export function slugify(title: string): string {
  if (/^[A-Za-z0-9 _-]*$/.test(title)) return title.trim().toLowerCase().replace(/ /g, '-');
  return title
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

export class SlugRegistry {
  private readonly seen = new Map<string, number>();

  unique(title: string): string {
    const base = slugify(title) || 'section';
    const count = this.seen.get(base) ?? 0;
    this.seen.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
  }
}
