// The questions before commands run, for the terminal and the task runner alike. The risk question leads with what
// changes and where: "supabase db push pushes local migrations on linked project abcdefghijklmnopqrst (production)."
// Its detail holds one line per risky command, bulleted so that wrapped lines still read apart (the command, what it
// changes, and where when the commands go to different places), and nothing else. Commands the CLI no longer has are a question of their own, apart from the
// risk, because they say the runbook is out of date, not that the command is dangerous.
import type { ConfirmTarget, RiskConfirmation } from './confirmRisk';
import type { CommandTarget } from '../../core/targets/commandTarget';
import { primaryTarget, uniqueTargets } from '../../core/targets/commandTarget';
import { targetLabelWithRef, targetNameWithRef } from '../../core/targets/targetLabel';
import { SUPABASE_CLI_NAME } from '../../core/supabase/supabaseCommandTable';

export interface RiskyCommand {
  /** The command as the user reads it (one line). */
  display: string;
  /** What it changes, each a sentence. */
  reasons: readonly string[];
  /** Where it goes. */
  targets: readonly CommandTarget[];
}

export function riskConfirmation(risky: readonly RiskyCommand[], action: string): RiskConfirmation {
  const targets = uniqueTargets(risky.flatMap((c) => c.targets));
  const severalPlaces = targets.length > 1;
  return {
    headline:
      risky.length === 1
        ? whatChanges(risky[0].reasons[0] ?? 'It changes things')
        : `${risky.length} commands change things`,
    details: risky.map(
      (c) =>
        `• ${c.display} — ${c.reasons.join(' ')}${severalPlaces ? ` → ${targetLabelWithRef(primaryTarget(c.targets))}` : ''}`,
    ),
    action,
    targets: targets.map(confirmTargetOf),
  };
}

/** The dialog for commands the Supabase CLI does not have: each problem once, with what to use instead. */
export function staleQuestion(problems: readonly string[], commands: number): { message: string; detail: string } {
  return {
    message: `${commands === 1 ? 'A command' : `${commands} commands`} of this block ${commands === 1 ? 'is' : 'are'} not in ${SUPABASE_CLI_NAME}, so ${commands === 1 ? 'it' : 'they'} will fail or do something else.`,
    detail: [...new Set(problems)].join('\n'),
  };
}

export function confirmTargetOf(target: CommandTarget): ConfirmTarget {
  return {
    name: targetNameWithRef(target),
    production: target.production,
    ...(target.ref ? { ref: target.ref } : {}),
    ...(target.confirmText ? { confirmText: target.confirmText } : {}),
  };
}

/** "Overwrites out.txt: the shell empties it first." gives "Overwrites out.txt": the change, without the why. */
function whatChanges(reason: string): string {
  const sentence = reason.replace(/\.$/, '');
  const colon = sentence.indexOf(': ');
  return colon > 0 ? sentence.slice(0, colon) : sentence;
}
