import { describe, expect, it } from 'vitest';
import { actorLabel } from './actor-label.js';
import { DEFAULT_STRINGS } from './strings.js';

describe('viewer: actor label of a row (delegation)', () => {
  const t = DEFAULT_STRINGS;

  it('the actor alone: name, else id', () => {
    expect(actorLabel({ type: 'user', id: 'u_1', name: 'Ann' }, t)).toBe('Ann');
    expect(actorLabel({ type: 'user', id: 'u_1' }, t)).toBe('u_1');
    expect(actorLabel(undefined, t)).toBe('');
  });

  it('"Ann (support) as Bob", "Assistant for Bob", and both', () => {
    expect(actorLabel({ type: 'user', id: 'u_bob', name: 'Bob', impersonator: { type: 'user', id: 'u_ann', name: 'Ann' } }, t)).toBe('Ann (support) as Bob');
    expect(actorLabel({ type: 'agent', id: 'assistant', name: 'Assistant', on_behalf_of: { type: 'user', id: 'u_bob', name: 'Bob' } }, t)).toBe('Assistant for Bob');
    expect(actorLabel({ type: 'user', id: 'u_bob', name: 'Bob', impersonator: { type: 'user', id: 'u_ann' }, on_behalf_of: { type: 'user', id: 'u_cat', name: 'Cat' } }, t)).toBe('u_ann (support) as Bob for Cat');
  });

  it('translations reword it; names are values, never templates', () => {
    const fr = { impersonatedActor: '{actor} (via {impersonator})', actorOnBehalfOf: '{actor} pour {principal}' };
    expect(actorLabel({ type: 'user', id: 'u_bob', name: 'Bob', impersonator: { type: 'user', id: 'u_ann', name: 'Ann' } }, fr)).toBe('Bob (via Ann)');
    expect(actorLabel({ type: 'agent', id: 'a', name: '{principal}', on_behalf_of: { type: 'user', id: 'u', name: '<b>{actor}</b>' } }, t)).toBe('{principal} for <b>{actor}</b>');
  });
});
