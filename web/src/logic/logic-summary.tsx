import type { ReactNode } from 'react';
import { Breakable, NameList } from '../ui/format.tsx';
import { CodeEditor } from './code-editor.tsx';
import type { LogicDraft, TriggerDraft } from './logic-draft.ts';

function Item(props: { readonly term: string; readonly children: ReactNode }) {
  return (
    <>
      <dt>{props.term}</dt>
      <dd>{props.children}</dd>
    </>
  );
}

function triggerText(t: TriggerDraft): string {
  const state = t.enabled ? '' : ' (disabled)';
  if (t.type === 'Event') return `Event ${t.event_name}${t.product_id !== null ? ` of product ${t.product_id}` : ''}${state}`;
  if (t.type === 'Scheduled') return `Schedule ${t.cron}${t.start_at ? ` from ${t.start_at}` : ''}${t.end_at ? ` until ${t.end_at}` : ''}${state}`;
  return `Ledger ${t.ledger_name}: on ${t.change_type}${t.instance_scope ? ` of ${t.instance_scope}` : ''}${state}`;
}

/**
 * A Logic function as someone who may not change or run it sees it: its settings, secrets
 * (names only) and triggers as text, and the code in the editor, read-only.
 */
export function LogicSummary(props: { readonly draft: LogicDraft }) {
  const d = props.draft;
  return (
    <div data-testid="logic-summary">
      <section className="section" aria-label="Function">
        <dl className="details">
          <Item term="Name">{d.name}</Item>
          {d.description ? <Item term="Description">{d.description}</Item> : null}
          <Item term="State">{d.enabled ? 'Enabled' : 'Disabled'}{d.useEnv ? ', with environment variables' : ''}</Item>
          <Item term="Secrets">{d.secrets.length ? <span className="mono"><NameList names={d.secrets} /></span> : <span className="muted">None</span>}</Item>
          <Item term="Triggers">
            {d.triggers.length ? (
              <ul className="plain-list">
                {d.triggers.map((t) => (
                  <li key={t.key} className="mono"><Breakable text={triggerText(t)} /></li>
                ))}
              </ul>
            ) : (
              <span className="muted">None (runs only when executed)</span>
            )}
          </Item>
        </dl>
      </section>
      <section className="section" aria-labelledby="ls-code">
        <h2 className="section-title" id="ls-code">Code</h2>
        <CodeEditor label="Code" value={d.code} onChange={() => undefined} diagnostics={[]} isDisabled />
      </section>
    </div>
  );
}
