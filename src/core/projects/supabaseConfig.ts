// Reads the few keys we need from supabase/config.toml. Not a TOML parser: sections, and key = value
// lines with strings, numbers and booleans, which is all the CLI writes for these keys.
export interface SupabaseLocalConfig {
  projectId?: string;
  apiPort?: number;
  dbPort?: number;
}

export function readSupabaseConfig(toml: string): SupabaseLocalConfig {
  const config: SupabaseLocalConfig = {};
  let section = '';
  for (const raw of toml.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (!line || line.startsWith('#')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1].trim();
      continue;
    }
    const kv = /^([A-Za-z0-9_.-]+)\s*=\s*(.+)$/.exec(line);
    if (!kv) continue;
    const key = `${section ? `${section}.` : ''}${kv[1]}`;
    const value = kv[2]
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .replace(/^'(.*)'$/, '$1');
    if (key === 'project_id') config.projectId = value;
    else if (key === 'api.port' && /^\d+$/.test(value)) config.apiPort = Number(value);
    else if (key === 'db.port' && /^\d+$/.test(value)) config.dbPort = Number(value);
  }
  return config;
}
