import { describe, expect, it } from 'vitest';
import type { EventInput } from '../events/event.schema.js';
import { classificationPolicy, classifyEvent, FIELD_PATH_PATTERN, replaceSlots, searchWords, tiersFor } from './classification.js';

const base: EventInput = {
  action: 'user.email.updated',
  occurred_at: '2026-11-22T10:00:00.000Z',
  actor: { type: 'user', id: 'u_admin', name: 'Dan', email: 'dan@example.com', metadata: { dept: 'it' } },
  targets: [
    { type: 'document', id: 'doc_1', name: 'Q3 plan' },
    { type: 'user', id: 'u_fay', name: 'Fay' },
  ],
  context: { ip: '203.0.113.5', user_agent: 'UA' },
  changes: [
    { field: 'email', before: 'a@x.io', after: 'b@x.io' },
    { field: 'theme', before: 'light', after: 'dark' },
  ],
  metadata: { phone: '+1 555', plan: 'pro' },
};

describe('classification', () => {
  it('defaults: actor name/email, names of data-subject targets and personal change fields are sensitive', () => {
    const c = classifyEvent(base, classificationPolicy(undefined));
    expect(c.slots.map((s) => `${s.path.join('.')}=${s.tier}@${s.subject}`)).toEqual([
      'actor.name=sensitive@u_admin',
      'actor.email=sensitive@u_admin',
      'targets.1.name=sensitive@u_fay',
      'changes.0.before=sensitive@u_fay',
      'changes.0.after=sensitive@u_fay',
    ]);
    expect(c.changeSubject).toBe('u_fay');
    expect(c.classifiedChanges).toEqual(['email']);
  });

  it('a document target is not a data subject: its name is never classified', () => {
    const c = classifyEvent(base, classificationPolicy({ fields: { 'targets.name': 'restricted' } }));
    expect(c.slots.some((s) => s.path.join('.') === 'targets.0.name')).toBe(false);
    expect(c.slots.find((s) => s.path.join('.') === 'targets.1.name')?.tier).toBe('restricted');
  });

  it('tenant fields override defaults; per-action overrides win, the most specific last', () => {
    const p = classificationPolicy({
      fields: { 'actor.name': 'unrestricted', 'context.ip': 'restricted', 'metadata.phone': 'sensitive' },
      actions: { 'user.*': { 'context.ip': 'sensitive' }, 'user.email.updated': { 'context.ip': 'unrestricted' } },
      subject_target_types: ['user', 'member'],
    });
    expect(tiersFor(p, 'user.email.updated').get('context.ip')).toBe('unrestricted');
    expect(tiersFor(p, 'user.login').get('context.ip')).toBe('sensitive');
    expect(tiersFor(p, 'doc.viewed').get('context.ip')).toBe('restricted');
    expect(tiersFor(p, 'username.x').get('context.ip')).toBe('restricted'); // user.* is a dotted prefix
    const c = classifyEvent({ ...base, action: 'doc.viewed' }, p);
    const paths = c.slots.map((s) => s.path.join('.'));
    expect(paths).not.toContain('actor.name');
    expect(paths).toContain('context.ip');
    expect(paths).toContain('metadata.phone');
    expect(paths).not.toContain('metadata.plan');
  });

  it('without a data-subject target, changes belong to the actor; null values are not slots', () => {
    const c = classifyEvent({ ...base, targets: [], changes: [{ field: 'email', before: null, after: 'x@y.z' }] }, classificationPolicy(undefined));
    expect(c.changeSubject).toBe('u_admin');
    expect(c.slots.filter((s) => s.path[0] === 'changes').map((s) => s.path.join('.'))).toEqual(['changes.0.after']);
  });

  it('replaceSlots copies the event and leaves the input untouched', () => {
    const c = classifyEvent(base, classificationPolicy(undefined));
    const out = replaceSlots(base, c.slots, (s) => `X:${s.field}`);
    expect(out.actor.email).toBe('X:actor.email');
    expect(out.changes![0]).toEqual({ field: 'email', before: 'X:changes.email', after: 'X:changes.email' });
    expect(base.actor.email).toBe('dan@example.com');
  });

  it('replaceSlots copies only the paths it writes; the input stays deep-equal to a snapshot', () => {
    const policy = classificationPolicy({ fields: { 'context.ip': 'restricted', 'metadata.phone': 'sensitive' } });
    const snapshot = structuredClone(base);
    const c = classifyEvent(base, policy);
    const out = replaceSlots(base, c.slots, (s) => `X:${s.field}`);
    expect(base).toEqual(snapshot);
    expect(out.targets![0]).toBe(base.targets![0]); // not a data subject: shared, untouched
    expect(out.targets![1]).not.toBe(base.targets![1]);
    expect(out.targets![1]!.name).toBe('X:targets.name');
    expect(out.context!.ip).toBe('X:context.ip');
    expect(out.context!.user_agent).toBe('UA');
    expect(out.metadata).toEqual({ phone: 'X:metadata.phone', plan: 'pro' });
    expect(out.changes![1]).toBe(base.changes![1]);
    expect(out.actor.metadata).toBe(base.actor.metadata);
  });

  it('searchWords: the whole value and its words, lower-cased', () => {
    expect(searchWords('Ann Lee <ann@Example.com>')).toEqual(expect.arrayContaining(['ann lee <ann@example.com>', 'ann', 'lee', '<ann@example.com>', 'example', 'com']));
    expect(searchWords(42)).toEqual(['42']);
    expect(searchWords({ a: 1 })).toEqual([]);
    expect(searchWords('  ')).toEqual([]);
  });

  it('delegation parties: each name is sensitive by default and belongs to its own party; ids stay clear like the actor id', () => {
    const ev: EventInput = {
      action: 'document.shared',
      occurred_at: '2026-11-22T10:00:00.000Z',
      actor: { type: 'user', id: 'u_bob', name: 'Bob', on_behalf_of: { type: 'user', id: 'u_cat', name: 'Cat' }, impersonator: { type: 'user', id: 'u_ann', name: 'Ann' } },
    };
    const c = classifyEvent(ev, classificationPolicy(undefined));
    expect(c.slots.map((s) => `${s.path.join('.')}=${s.tier}@${s.subject}`)).toEqual([
      'actor.name=sensitive@u_bob',
      'actor.on_behalf_of.name=sensitive@u_cat',
      'actor.impersonator.name=sensitive@u_ann',
    ]);
    // A party without a name has no slot; a tenant may restrict or release the names.
    const noName = classifyEvent({ ...ev, actor: { type: 'agent', id: 'bot', on_behalf_of: { type: 'user', id: 'u_cat' } } }, classificationPolicy(undefined));
    expect(noName.slots).toEqual([]);
    const custom = classifyEvent(ev, classificationPolicy({ fields: { 'actor.impersonator.name': 'restricted', 'actor.on_behalf_of.name': 'unrestricted' } }));
    expect(custom.slots.map((s) => `${s.path.join('.')}=${s.tier}`)).toEqual(['actor.name=sensitive', 'actor.impersonator.name=restricted']);
    const pattern = new RegExp(FIELD_PATH_PATTERN);
    expect(pattern.test('actor.on_behalf_of.name')).toBe(true);
    expect(pattern.test('actor.impersonator.name')).toBe(true);
    expect(pattern.test('actor.impersonator.id')).toBe(false);
  });
});
