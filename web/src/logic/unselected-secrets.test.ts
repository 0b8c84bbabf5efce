import { describe, expect, it } from 'vitest';
import { secretNamesInCode } from './unselected-secrets.tsx';

describe('secretNamesInCode', () => {
  it('finds dotted, optional and bracketed reads once each, in order', () => {
    const code = "const a = secrets.BLYNK_TOKEN; f(secrets?.OTHER, secrets['WITH-DASH'], secrets[\"Q\"], secrets.BLYNK_TOKEN)";
    expect(secretNamesInCode(code)).toEqual(['BLYNK_TOKEN', 'OTHER', 'WITH-DASH', 'Q']);
  });
  it('ignores other objects and computed keys', () => {
    expect(secretNamesInCode('mysecrets.A; obj.secrets; secrets[key]; const { secrets } = ctx;')).toEqual([]);
  });
});
