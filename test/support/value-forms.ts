import { encodedForms } from '../../src/masking/encodings-fns.ts';

/**
 * Every form of a secret value a test must never find in an output: the masker's own list
 * (literal, lines, base64 in three alignments, hex, base85, JSON, percent and HTML forms)
 * plus the encoders' whole outputs as a client would write them.
 */
export function valueForms(value: string): string[] {
  const forms = new Set(encodedForms(value).map((f) => f.text));
  forms.add(Buffer.from(value).toString('base64'));
  forms.add(Buffer.from(value).toString('base64url'));
  forms.add(Buffer.from(value).toString('hex'));
  forms.add(encodeURIComponent(value));
  forms.add(JSON.stringify(value).slice(1, -1));
  return [...forms];
}

/** The forms of any of `values` that occur in `text` (empty when none leaked). */
export function leakedForms(text: string, values: readonly string[]): string[] {
  return values.flatMap((v) => valueForms(v).filter((f) => text.includes(f)));
}
