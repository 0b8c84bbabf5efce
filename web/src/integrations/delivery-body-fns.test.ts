import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { showBody } from './delivery-body-fns.ts';

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

describe('showBody', () => {
  it('pretty-prints JSON, decodes form fields, leaves other text alone', () => {
    expect(showBody('{"a":1,"b":"[[SENSITIVE]]"}', { 'content-type': 'application/json' })).toEqual({ kind: 'json', text: '{\n  "a": 1,\n  "b": "[[SENSITIVE]]"\n}' });
    expect(showBody('event=temp&data=21%2E5+C&token=[[SENSITIVE]]', FORM)).toEqual({ kind: 'form', text: 'event = temp\ndata = 21.5 C\ntoken = [[SENSITIVE]]' });
    expect(showBody('plain text', { 'Content-Type': 'text/plain' })).toEqual({ kind: 'text', text: 'plain text' });
    expect(showBody(null)).toEqual({ kind: 'text', text: '' });
  });

  it('shows a body that does not parse as it came', () => {
    expect(showBody('{"a":', { 'content-type': 'application/json' })).toEqual({ kind: 'text', text: '{"a":' });
    expect(showBody('a=%E0%A4%A', FORM)).toEqual({ kind: 'text', text: 'a=%E0%A4%A' });
  });

  it('property: JSON keeps its value; a form keeps every field name and value; the mask marker always survives', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        const shown = showBody(text, { 'content-type': 'application/json' });
        expect(JSON.parse(shown.text)).toEqual(JSON.parse(text));
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ minLength: 1 }), fc.oneof(fc.string(), fc.constant('[[SENSITIVE]]'))), { minLength: 1, maxLength: 6 }), (fields) => {
        const body = new URLSearchParams(fields).toString();
        const shown = showBody(body, FORM);
        expect(shown.kind).toBe('form');
        expect(shown.text).toBe(fields.map(([k, v]) => `${k} = ${v}`).join('\n'));
      }),
    );
  });
});
