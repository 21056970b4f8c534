// How a command is named in messages: its first line, or only its name without options and values.

/** "supabase migration list" of "supabase migration list --remote='…'": the command without its options, for messages. */
export function commandName(text: string): string {
  const words = firstLine(text).split(/\s+/);
  const end = words.findIndex((w, i) => i > 0 && (/^-|['"=$<>|;&]/.test(w) || i >= 4));
  return (end === -1 ? words : words.slice(0, end)).join(' ');
}

export function firstLine(text: string): string {
  const lines = text.split('\n');
  return lines.length > 1 ? `${lines[0]} …` : text;
}
