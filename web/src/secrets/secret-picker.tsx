import { useState } from 'react';
import { Button } from 'react-aria-components/Button';
import { CheckboxButton, CheckboxField } from 'react-aria-components/Checkbox';
import { CheckboxGroup, Label, Text } from 'react-aria-components/CheckboxGroup';
import { Input, SearchField } from 'react-aria-components/SearchField';
import { messageOf } from '../api/http.ts';
import { CreateSecretLink } from './create-secret-link.tsx';
import { useSecrets } from './secret-queries.ts';

export interface SecretPickerProps {
  readonly value: readonly string[];
  readonly onChange: (names: string[]) => void;
  /** How the selected secrets are referenced: `{{{NAME}}}` in webhooks, `secrets.NAME` in Logic. */
  readonly usage: 'webhook' | 'logic';
  readonly isDisabled?: boolean;
}

function reference(usage: SecretPickerProps['usage'], name: string): string {
  return usage === 'webhook' ? `{{{${name}}}}` : `secrets.${name}`;
}

/**
 * Multi-select of the scope's secrets (a react-aria CheckboxGroup), with the link that
 * creates a new secret in another tab and a hint showing how to use each selected one.
 * A filter box narrows a long list by name; selected secrets always stay listed (and
 * selected), so filtering never hides what the integration or function uses.
 */
export function SecretPicker(props: SecretPickerProps) {
  const query = useSecrets();
  const [filter, setFilter] = useState('');
  const available = (query.data ?? []).map((s) => s.name);
  // A selected name that is not listed any more still shows, so it can be unselected.
  const names = [...available, ...props.value.filter((n) => !available.includes(n))];
  const needle = filter.trim().toLowerCase();
  const matches = (name: string) => name.toLowerCase().includes(needle);
  const shown = needle ? names.filter((n) => matches(n) || props.value.includes(n)) : names;
  const matchCount = needle ? names.filter(matches).length : names.length;
  return (
    <div className="secret-picker" data-testid="secret-picker">
      <CheckboxGroup
        className="field"
        value={[...props.value]}
        onChange={props.onChange}
        isDisabled={props.isDisabled}
      >
        <Label className="field-label">
          {props.usage === 'webhook' ? 'Secrets this webhook may use' : 'Secrets this function may use'}
        </Label>
        <Text slot="description" className="field-help">
          {props.usage === 'webhook'
            ? 'Selected secrets can be used in any field as {{{NAME}}}. Others are not available to this integration.'
            : 'Selected secrets are available to the code as secrets.NAME. Others are not.'}
        </Text>
        {names.length > 0 ? (
          <SearchField className="picker-filter" value={filter} onChange={setFilter}>
            <Label className="visually-hidden">Filter secrets by name</Label>
            <Input
              className="input"
              placeholder="Filter by name"
              spellCheck={false}
              autoComplete="off"
              // Enter in a filter box filters; it must not submit the webhook or function form around it.
              onKeyDown={(e) => {
                if (e.key === 'Enter') e.preventDefault();
              }}
            />
            {filter ? <Button className="btn btn-quiet btn-small">Clear</Button> : null}
          </SearchField>
        ) : null}
        <p className={needle && matchCount === 0 ? 'field-help' : 'visually-hidden'} role="status" data-testid="secret-filter-status">
          {!needle
            ? null
            : matchCount === 0
              ? `No secret name contains “${filter.trim()}”.${props.value.length ? ' Selected secrets stay listed.' : ''}`
              : `${matchCount} of ${names.length} secrets match.`}
        </p>
        <div className="checkbox-list">
          {query.isPending ? <span className="muted">Loading secrets…</span> : null}
          {query.isError ? <span className="field-error">Could not load secrets: {messageOf(query.error)}</span> : null}
          {query.isSuccess && names.length === 0 ? <span className="muted">There are no secrets in this scope yet.</span> : null}
          {shown.map((name) => (
            <CheckboxField key={name} value={name} className="checkbox-field">
              <CheckboxButton className="checkbox">
                <span className="checkbox-box" aria-hidden="true" />
                <span className="mono">{name}</span>
                {!available.includes(name) && query.isSuccess ? <span className="muted"> (not found)</span> : null}
              </CheckboxButton>
            </CheckboxField>
          ))}
        </div>
      </CheckboxGroup>
      <div className="picker-footer">
        <CreateSecretLink />
        <Button className="btn btn-quiet btn-small" onPress={() => void query.refetch()} isPending={query.isFetching}>
          Refresh list
        </Button>
      </div>
      {props.value.length > 0 ? (
        <p className="secret-usage-hint" data-testid="secret-usage-hint">
          Use {props.value.length === 1 ? 'it' : 'them'} as{' '}
          {props.value.map((name, i) => (
            <span key={name}>
              {i > 0 ? ', ' : ''}
              <code>{reference(props.usage, name)}</code>
            </span>
          ))}
          {props.usage === 'webhook' ? ', for example in a header: Authorization: Bearer ' : null}
          {props.usage === 'webhook' ? <code>{reference('webhook', props.value[0]!)}</code> : null}
        </p>
      ) : null}
    </div>
  );
}
