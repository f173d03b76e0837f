import { describe, expect, it } from 'vitest';
import { componentSchemas, named$, schemaErrors, Type } from './schema.js';

describe('schema', () => {
  const At = Type.Object({ at: Type.String({ format: 'date-time' }) });

  it('STD-OPENAPI: format date-time means RFC 3339 with an offset, as every time the API takes', () => {
    for (const ok of ['2026-11-22T10:00:00Z', '2026-11-22T10:00:00.123456+05:30', '2026-11-22t10:00:00z']) expect(schemaErrors(At, { at: ok }), ok).toEqual([]);
    const code = (at: string) => schemaErrors(At, { at }).map((d) => `${d.field}:${d.code}`);
    expect(code('2026-11-22T10:00:00')).toEqual(['at:missing_timezone']);
    expect(code('yesterday')).toEqual(['at:invalid_format']);
    expect(code('2026-02-30T10:00:00Z')).toEqual(['at:invalid_format']);
    // TypeBox's own check takes these; the server's parser never did.
    expect(code('2026-11-22T10:00:00Z[Europe/Paris]')).toEqual(['at:invalid_format']);
    expect(code('2026-11-22T10:00:00+0100')).toEqual(['at:invalid_format']);
  });

  it('STD-OPENAPI: a registered schema used inside another is a $ref in the document; an altered copy stays inline', () => {
    const Part = named$('SchemaSpecPart', Type.Object({ x: Type.Integer() }));
    named$('SchemaSpecWhole', Type.Object({ one: Part, many: Type.Array(Part), maybe: Type.Optional(Part), other: Type.Object({ ...Part.properties }, { description: 'changed' }) }));
    const whole = componentSchemas().SchemaSpecWhole as { properties: Record<string, unknown> };
    expect(whole.properties.one).toEqual({ $ref: '#/components/schemas/SchemaSpecPart' });
    expect(whole.properties.many).toEqual({ type: 'array', items: { $ref: '#/components/schemas/SchemaSpecPart' } });
    expect(whole.properties.maybe).toEqual({ $ref: '#/components/schemas/SchemaSpecPart' });
    expect(whole.properties.other).toMatchObject({ type: 'object', description: 'changed' });
    expect(componentSchemas().SchemaSpecPart).toEqual({ type: 'object', properties: { x: { type: 'integer' } }, required: ['x'] });
  });
});
