// What the extension host and the model worker say to each other: a runbook's text in, its model and problems out.
import type { Runbook } from '../../core/model/types';
import type { Problem } from '../../core/check/checkRunbook';

export interface ParseRequest {
  id: number;
  text: string;
}

export type ParseReply = { id: number; runbook: Runbook; problems: Problem[] } | { id: number; error: string };
