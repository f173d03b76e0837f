import { describe, expect, it } from 'vitest';
import { defaultMessage, MISSING_VALUE, parseTemplate, pickLocale, renderTemplate, TemplateError, TEMPLATE_LIMITS } from './display-template.js';

const event = {
  action: 'document.shared',
  organization_id: 'org_1',
  outcome: 'success',
  actor: { type: 'user', id: 'u1', name: 'Ann' },
  targets: [{ type: 'document', id: 'd1', name: 'Plan <b>Q3</b>' }, { type: 'user', id: 'u2', name: 'Bob' }],
  metadata: { plan: { tier: 'pro' }, seats: 3, ok: true, list: [1, 2] },
  context: { location: '192.0.2.1' },
};
const render = (t: string, e: unknown = event) => renderTemplate(parseTemplate(t), e);
const code = (t: string) => {
  try {
    parseTemplate(t);
  } catch (err) {
    return (err as TemplateError).code;
  }
  return 'accepted';
};

describe('display templates', () => {
  it('interpolates actor, targets[n], metadata, context, organization_id and outcome as plain text', () => {
    expect(render('{actor.name} shared {targets[0].name} with {targets[1].name}')).toBe('Ann shared Plan <b>Q3</b> with Bob');
    expect(render('{metadata.plan.tier}/{metadata.seats}/{metadata.ok} {context.location} {organization_id} {outcome}')).toBe('pro/3/true 192.0.2.1 org_1 success');
    expect(render('{{literal}} {actor.id}')).toBe('{literal} u1');
  });

  it('renders missing, null, object and array values as the placeholder', () => {
    expect(render('{targets[5].name}|{metadata.nope}|{metadata.plan}|{metadata.list}|{actor.email}')).toBe(Array(5).fill(MISSING_VALUE).join('|'));
    expect(render('{metadata.__proto__}', { metadata: {} })).toBe(MISSING_VALUE);
    expect(render('{actor.name}', { actor: { name: '' } })).toBe(MISSING_VALUE);
    expect(render('{actor.name}', { actor: { name: 'x'.repeat(500) } })).toHaveLength(TEMPLATE_LIMITS.valueChars);
  });

  it('refuses hostile templates with stable codes', () => {
    expect(code('{secret}')).toBe('unknown_path');
    expect(code('{tenant_id}')).toBe('unknown_path');
    expect(code('{actor}')).toBe('unknown_path');
    expect(code('{targets.name}')).toBe('unknown_path');
    expect(code('{outcome.x}')).toBe('unknown_path');
    expect(code('{actor.name.constructor()}')).toBe('unknown_path');
    expect(code('{actor.name | upper}')).toBe('unknown_path');
    expect(code('{a.b.c.d.e.f.g.h.i}')).toBe('unknown_path');
    expect(code('{metadata.a.b.c.d.e.f.g.h}')).toBe('unknown_path');
    expect(code('{targets[1234].id}')).toBe('unknown_path');
    expect(code('{{actor.name}')).toBe('unbalanced_brace');
    expect(code('{actor.{name}}')).toBe('nested_brace');
    expect(code('{actor.name')).toBe('unbalanced_brace');
    expect(code('a } b')).toBe('unbalanced_brace');
    expect(code('x'.repeat(TEMPLATE_LIMITS.chars + 1))).toBe('template_too_large');
    expect(code('{outcome}'.repeat(TEMPLATE_LIMITS.placeholders + 1))).toBe('too_many_placeholders');
    expect(code('')).toBe('empty_template');
    expect(code('{actor.name} did it')).toBe('accepted');
  });

  it('humanises actions without a template and picks locales with fallback', () => {
    expect(defaultMessage('member.role.updated')).toBe('Member role updated');
    expect(defaultMessage('user.login_failed')).toBe('User login failed');
    expect(pickLocale({ de: 'D', 'pt-BR': 'P' }, 'E', 'de-AT')).toBe('D');
    expect(pickLocale({ de: 'D', 'pt-BR': 'P' }, 'E', 'pt-br')).toBe('P');
    expect(pickLocale({ de: 'D' }, 'E', 'fr')).toBe('E');
    expect(pickLocale({ de: 'D' }, 'E', undefined)).toBe('E');
  });
});
