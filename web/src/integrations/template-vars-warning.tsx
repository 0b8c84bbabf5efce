import { Button } from 'react-aria-components/Button';
import { useSecrets } from '../secrets/secret-queries.ts';
import { Notice } from '../ui/notice.tsx';
import { unknownTemplateVars } from './template-vars.ts';
import type { WebhookDraft } from './webhook-draft.ts';

/**
 * Warns (never refuses: event fields are legitimate variables) about template variables
 * that will be empty when sent; one click selects an existing secret of that name.
 */
export function TemplateVarsWarning(props: {
  readonly draft: WebhookDraft;
  readonly exampleData: string;
  readonly onSelect: (name: string) => void;
  readonly isDisabled?: boolean;
}) {
  const existing = new Set((useSecrets().data ?? []).map((s) => s.name));
  const unknown = unknownTemplateVars(props.draft, props.exampleData);
  if (unknown.length === 0) return null;
  return (
    <Notice tone="warning" title="Template variables that nothing defines" testId="unknown-template-vars">
      <ul className="plain-list">
        {unknown.map((v) => (
          <li key={v.name}>
            <code>{v.tag}</code>{' '}
            {existing.has(v.name) ? (
              <>
                is a secret that is not selected: a webhook can only use the secrets it lists.{' '}
                <Button className="btn btn-secondary btn-small" onPress={() => props.onSelect(v.name)} isDisabled={props.isDisabled}>
                  Select {v.name}
                </Button>
              </>
            ) : (
              'is not a selected secret, a Particle variable or a field of the example event: it is sent empty unless the event data has this field. Check the spelling.'
            )}
          </li>
        ))}
      </ul>
    </Notice>
  );
}
