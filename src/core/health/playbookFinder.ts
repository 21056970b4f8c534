// Which playbook of the runbook handles a verdict, found by the playbook's title first and its symptoms second, never
// by a line number: a team that renames "Database Connection Exhaustion" to "Postgres out of connections" still gets
// its link.
import type { Playbook, Runbook } from '../model/types';
import type { PlaybookLink } from '../../shared/health/healthView';

/** What a Warning or Critical is about. */
export type PlaybookTopic = 'connections' | 'functions' | 'auth' | 'generation' | 'storage' | 'latency';

const TOPICS: Record<PlaybookTopic, { title: RegExp; symptoms: RegExp }> = {
  connections: {
    title: /connection|pool/i,
    symptoms: /connection pool|pool exhausted|too many (clients|connections)/i,
  },
  functions: { title: /edge function|function/i, symptoms: /circuit breaker|function/i },
  auth: { title: /auth|log[ -]?in|sign[ -]?in/i, symptoms: /log ?in|sign ?in|jwt|session/i },
  generation: { title: /generat/i, symptoms: /generat/i },
  storage: { title: /storage|upload|bucket/i, symptoms: /upload|storage|bucket/i },
  latency: { title: /latency|slow|performance/i, symptoms: /latency|slow|timing out|timeout/i },
};

export function findPlaybook(runbook: Runbook, topic: PlaybookTopic): PlaybookLink | undefined {
  const { title, symptoms } = TOPICS[topic];
  const playbook =
    runbook.playbooks.find((p) => title.test(p.name)) ??
    runbook.playbooks.find((p) => symptoms.test(symptomText(runbook, p)));
  return playbook ? linkTo(runbook, playbook) : undefined;
}

function linkTo(runbook: Runbook, playbook: Playbook): PlaybookLink {
  const link: PlaybookLink = { name: playbook.name, line: playbook.line };
  const sql = runbook.snippets.find(
    (s) =>
      s.category === 'sql' &&
      s.startLine >= (playbook.diagnosis?.line ?? playbook.line) &&
      s.endLine <= (playbook.diagnosis?.endLine ?? playbook.endLine),
  );
  if (sql) link.diagnosisSnippetIndex = sql.index;
  return link;
}

function symptomText(runbook: Runbook, playbook: Playbook): string {
  const part = playbook.symptoms;
  if (!part) return '';
  const texts: string[] = part.text ? [part.text] : [];
  const walk = (items: typeof part.items) => {
    for (const item of items) {
      if (item.kind === 'step' || item.kind === 'bullet') {
        texts.push(item.text);
        if (item.children) walk(item.children);
      } else if (item.kind === 'checklist') texts.push(item.item.text);
      else if (item.kind === 'snippet') texts.push(runbook.snippets[item.snippetIndex]?.body ?? '');
    }
  };
  walk(part.items);
  return texts.join('\n');
}
