import { Button } from 'react-aria-components/Button';
import { useSecrets } from '../secrets/secret-queries.ts';
import { Notice } from '../ui/notice.tsx';
import type { CodeDiagnostic } from './codemirror-view.ts';

const SECRET_REF = /\bsecrets\s*(?:\?\.|\.)\s*([A-Za-z_$][\w$]*)|\bsecrets\s*\[\s*(['"`])([^'"`\\]+)\2\s*\]/g;

/** The secret names `code` reads as `secrets.NAME` or `secrets['NAME']`, in order, once each. */
export function secretNamesInCode(code: string): string[] {
  const names = new Set<string>();
  for (const m of code.matchAll(SECRET_REF)) names.add(m[1] ?? m[3]!);
  return [...names];
}

/** Where the code reads a secret that is not selected, as lint warnings for the code editor. */
export function unselectedSecretDiagnostics(code: string, selected: readonly string[], existing: ReadonlySet<string>): CodeDiagnostic[] {
  const out: CodeDiagnostic[] = [];
  for (const m of code.matchAll(SECRET_REF)) {
    const name = m[1] ?? m[3]!;
    if (selected.includes(name)) continue;
    const hint = existing.has(name) ? `select ${name} under Secrets` : 'no secret has this name';
    out.push({ from: m.index, to: m.index + m[0].length, message: `secrets.${name} is undefined when the function runs: ${hint}.` });
  }
  return out;
}

/**
 * Warns (never refuses: the code may guard the read) about `secrets.NAME` for names not
 * selected, which read as undefined at run time; one click selects an existing secret
 * of that name.
 */
export function UnselectedSecretsWarning(props: {
  readonly code: string;
  readonly selected: readonly string[];
  readonly onSelect: (name: string) => void;
  readonly isDisabled?: boolean;
}) {
  const existing = new Set((useSecrets().data ?? []).map((s) => s.name));
  const missing = secretNamesInCode(props.code).filter((n) => !props.selected.includes(n));
  if (missing.length === 0) return null;
  return (
    <Notice tone="warning" title="Secrets used in the code but not selected" testId="unselected-secrets">
      <ul className="plain-list">
        {missing.map((name) => (
          <li key={name}>
            <code>secrets.{name}</code> is undefined when the function runs
            {existing.has(name) ? (
              <>
                {' '}
                <Button className="btn btn-secondary btn-small" onPress={() => props.onSelect(name)} isDisabled={props.isDisabled}>
                  Select {name}
                </Button>
              </>
            ) : (
              ': no secret has this name. Check the spelling or create it.'
            )}
          </li>
        ))}
      </ul>
    </Notice>
  );
}
