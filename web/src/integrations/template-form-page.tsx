import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { Button } from 'react-aria-components/Button';
import { Form } from 'react-aria-components/Form';
import { integrationsApi } from '../api/integrations-api.ts';
import { messageOf } from '../api/http.ts';
import type { IntegrationTemplate, TemplateField } from '../api/types.ts';
import { useScope } from '../scope/scope-context.tsx';
import { SecretSelect } from '../secrets/secret-select.tsx';
import { InlineCode } from '../ui/format.tsx';
import { Notice } from '../ui/notice.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { SelectInput } from '../ui/select-input.tsx';
import { EmptyState, ErrorState, LoadingState } from '../ui/states.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { useFocusInvalid } from '../ui/use-focus-invalid.ts';
import { integrationPath, useIntegrationOwner } from './integration-owner.ts';
import { integrationsKey, useTemplates } from './integration-queries.ts';

function TemplateFieldInput(props: {
  readonly field: TemplateField;
  readonly value: string;
  readonly onChange: (v: string) => void;
  readonly error: string | null;
}) {
  const { field } = props;
  if (field.type === 'secret') {
    return (
      <SecretSelect
        label={field.label}
        value={props.value || null}
        onChange={props.onChange}
        description={field.help ?? 'The secret holding the token. Its value is never shown.'}
        isRequired={field.required}
        error={props.error}
        testId={`template-field-${field.name}`}
      />
    );
  }
  if (field.type === 'select') {
    return (
      <SelectInput
        label={field.label}
        options={(field.options ?? []).map((o) => ({ id: o.value, label: o.label }))}
        value={props.value || null}
        onChange={props.onChange}
        description={field.help}
        isRequired={field.required}
        error={props.error}
        testId={`template-field-${field.name}`}
      />
    );
  }
  return (
    <TextInput
      label={field.label}
      type={field.type === 'url' ? 'url' : 'text'}
      value={props.value}
      onChange={props.onChange}
      description={field.help}
      isRequired={field.required}
      error={props.error}
      testId={`template-field-${field.name}`}
    />
  );
}

function TemplateForm({ template }: { readonly template: IntegrationTemplate }) {
  const owner = useIntegrationOwner();
  const { base, perms } = useScope();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(template.fields.filter((f) => f.default !== undefined).map((f) => [f.name, f.default!])),
  );
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { formRef, focusInvalid } = useFocusInvalid();
  const missing = (f: TemplateField) => f.required && !(values[f.name] ?? '').trim();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (template.fields.some(missing)) {
      focusInvalid();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await integrationsApi.fromTemplate(owner.prefix, template.slug, values);
      await queryClient.invalidateQueries({ queryKey: integrationsKey(owner.key) });
      navigate(integrationPath(base, owner, created.id), { state: { notice: `${template.name} integration created (ID ${created.id}).` } });
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form ref={formRef} onSubmit={submit} className="section form-stack" validationBehavior="aria" aria-label={template.name}>
      {template.fields.map((f) => (
        <TemplateFieldInput
          key={f.name}
          field={f}
          value={values[f.name] ?? ''}
          onChange={(v) => setValues((old) => ({ ...old, [f.name]: v }))}
          error={submitted && missing(f) ? `${f.label} is required` : null}
        />
      ))}
      {error ? <Notice tone="error">{error}</Notice> : null}
      {perms.writeReason ? <Notice tone="info">{perms.writeReason}</Notice> : null}
      <div className="dialog-actions">
        <Button className="btn btn-secondary" onPress={() => navigate(owner.listPath)}>
          Cancel
        </Button>
        <Button type="submit" className="btn btn-primary" isPending={busy} isDisabled={!perms.canWrite}>
          Create integration
        </Button>
      </div>
    </Form>
  );
}

/** One template's form; `secret` fields are secret pickers with the create-new-secret link. */
export function TemplateFormPage() {
  const { template: slug } = useParams();
  const { base } = useScope();
  const owner = useIntegrationOwner();
  const query = useTemplates();
  const template = query.data?.find((t) => t.slug === slug);
  const crumbs = [
    { to: owner.listPath, label: 'Integrations' },
    { to: `${base}/integrations/templates${owner.search}`, label: 'Templates' },
  ];
  if (query.isPending) return <LoadingState label="Loading the template…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (!template) return <EmptyState title="Template not found"><Link to={crumbs[1]!.to}>Templates</Link></EmptyState>;
  return (
    <section>
      <PageHeader
        title={template.name}
        breadcrumb={crumbs}
        description={
          <>
            <InlineCode text={template.description} />{' '}
            <a href={template.docs} target="_blank" rel="noopener noreferrer" data-testid="template-docs">
              {`${template.name} API docs`}
              <span className="visually-hidden"> (opens in a new tab)</span>
            </a>
          </>
        }
      />
      <TemplateForm template={template} />
    </section>
  );
}
