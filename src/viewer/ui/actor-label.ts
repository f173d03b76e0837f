import type { ViewerEvent } from './api.js';
import { fill } from './strings.js';

type Party = { id: string; name?: string };

/** The strings the actor label is built from (a subset of ViewerStrings). */
export interface ActorLabelStrings {
  impersonatedActor: string;
  actorOnBehalfOf: string;
}

const display = (p: Party): string => p.name ?? p.id;

/**
 * Who acted, as a row shows it (docs/api.md "Delegation"): the actor's name (else id); with an
 * impersonator "Ann (support) as Bob"; acting for someone "Assistant for Bob"; both "Ann
 * (support) as Bob for Cat". Plain text: the caller puts it in a text node.
 */
export function actorLabel(actor: ViewerEvent['actor'] | undefined, t: ActorLabelStrings): string {
  if (!actor) return '';
  let label = display(actor);
  if (actor.impersonator) label = fill(t.impersonatedActor, { impersonator: display(actor.impersonator), actor: label });
  if (actor.on_behalf_of) label = fill(t.actorOnBehalfOf, { actor: label, principal: display(actor.on_behalf_of) });
  return label;
}
