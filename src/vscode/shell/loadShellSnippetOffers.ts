// Loads what a shell snippet offers (shellSnippetOffers.ts) once, for the lenses, the Playbooks view and the Copy
// command.
import { loadOnce } from '../../core/lifecycle/loadOnce';

export const loadShellSnippetOffers = loadOnce(() => import('./shellSnippetOffers'));
