import type { ReactNode } from 'react';
import type { Pair } from '../ui/key-value-editor.tsx';
import { Breakable, NameList } from '../ui/format.tsx';
import type { WebhookDraft } from './webhook-draft.ts';

const pairLines = (pairs: readonly Pair[]) => pairs.filter((p) => p.key !== '').map((p) => `${p.key}: ${p.value}`).join('\n');

function Item(props: { readonly term: string; readonly children: ReactNode }) {
  return (
    <>
      <dt>{props.term}</dt>
      <dd>{props.children}</dd>
    </>
  );
}

const none = <span className="muted">None</span>;

/**
 * A webhook as someone who may not change it sees it: what it sends where, with which
 * secrets (names only), and how it retries; no inputs, so nothing looks editable.
 */
export function WebhookSummary(props: { readonly draft: WebhookDraft }) {
  const d = props.draft;
  const body =
    d.bodyKind === 'form' ? pairLines(d.formPairs) : d.bodyKind === 'json' ? d.jsonText : d.bodyKind === 'body' ? d.bodyText : '';
  const options = [
    d.disabled ? 'disabled' : null,
    d.noDefaults ? 'no default fields' : null,
    d.unchunked ? 'unchunked responses' : null,
    d.rejectUnauthorized ? null : 'accepts any TLS certificate',
  ].filter((o): o is string => o !== null);
  return (
    <section className="section" aria-label="Webhook configuration" data-testid="webhook-summary">
      <dl className="details">
        <Item term="Event">
          <span className="mono"><Breakable text={d.event} /></span> <span className="muted">(and every event name starting with it)</span>
        </Item>
        <Item term="Target">
          <span className="badge">{d.requestType}</span> <span className="mono"><Breakable text={d.url} /></span>
        </Item>
        {d.deviceID ? <Item term="Device">{d.deviceID}</Item> : null}
        <Item term="Secrets">{d.secrets.length ? <span className="mono"><NameList names={d.secrets} /></span> : none}</Item>
        <Item term="Signed with">{d.signingSecret ? <span className="mono">{d.signingSecret}</span> : <span className="muted">Not signed</span>}</Item>
        <Item term="Headers">{pairLines(d.headerPairs) ? <pre className="pre"><Breakable text={pairLines(d.headerPairs)} /></pre> : none}</Item>
        <Item term="Query">{pairLines(d.queryPairs) ? <pre className="pre"><Breakable text={pairLines(d.queryPairs)} /></pre> : none}</Item>
        <Item term="Body">
          {d.bodyKind === 'default' ? <span className="muted">Particle’s default fields</span> : <pre className="pre"><Breakable text={body} /></pre>}
        </Item>
        {d.authUsername ? <Item term="Basic auth">{d.authUsername} <span className="muted">(password set)</span></Item> : null}
        <Item term="Responses">
          {d.responseTopic || d.errorResponseTopic ? `${d.responseTopic || 'default topic'}; errors: ${d.errorResponseTopic || 'default topic'}` : 'Default topics'}
        </Item>
        <Item term="Retries">
          {d.retryType === 'exponential'
            ? `Exponential backoff: up to ${d.retryMaxAttempts} attempts, ${d.retryFirstDelayS} s to ${d.retryMaxDelayS} s apart`
            : 'Particle’s schedule (after 30 s and 60 s)'}
        </Item>
        {options.length ? <Item term="Options">{options.join(', ')}</Item> : null}
      </dl>
    </section>
  );
}
