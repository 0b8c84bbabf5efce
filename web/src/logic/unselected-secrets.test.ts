import { describe, expect, it } from 'vitest';
import { secretNamesInCode, unselectedSecretDiagnostics } from './unselected-secrets.tsx';

describe('secretNamesInCode', () => {
  it('finds dotted, optional and bracketed reads once each, in order', () => {
    const code = "const a = secrets.BLYNK_TOKEN; f(secrets?.OTHER, secrets['WITH-DASH'], secrets[\"Q\"], secrets.BLYNK_TOKEN)";
    expect(secretNamesInCode(code)).toEqual(['BLYNK_TOKEN', 'OTHER', 'WITH-DASH', 'Q']);
  });
  it('ignores other objects and computed keys', () => {
    expect(secretNamesInCode('mysecrets.A; obj.secrets; secrets[key]; const { secrets } = ctx;')).toEqual([]);
  });
});

describe('unselectedSecretDiagnostics', () => {
  it('marks each read of an unselected secret for the code editor, saying whether it exists', () => {
    const code = "log(secrets.A_KEY, secrets['TYPO'], secrets.PICKED, secrets.A_KEY)";
    expect(unselectedSecretDiagnostics(code, ['PICKED'], new Set(['A_KEY', 'PICKED']))).toEqual([
      { from: 4, to: 17, message: 'secrets.A_KEY is undefined when the function runs: select A_KEY under Secrets.' },
      { from: 19, to: 34, message: 'secrets.TYPO is undefined when the function runs: no secret has this name.' },
      { from: 52, to: 65, message: 'secrets.A_KEY is undefined when the function runs: select A_KEY under Secrets.' },
    ]);
  });
});
