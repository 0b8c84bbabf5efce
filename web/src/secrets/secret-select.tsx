import { SelectInput } from '../ui/select-input.tsx';
import { CreateSecretLink } from './create-secret-link.tsx';
import { useSecrets } from './secret-queries.ts';

/** Single secret choice for a template's `secret` field, with the create-new-secret link. */
export function SecretSelect(props: {
  readonly label: string;
  readonly value: string | null;
  readonly onChange: (name: string) => void;
  readonly description?: string;
  readonly isRequired?: boolean;
  readonly error?: string | null;
  readonly testId?: string;
}) {
  const query = useSecrets();
  const options = (query.data ?? []).map((s) => ({ id: s.name, label: s.name }));
  const placeholder = query.isPending ? 'Loading secrets…' : options.length ? 'Choose a secret' : 'No secrets yet';
  return (
    <SelectInput
      label={props.label}
      options={options}
      value={props.value}
      onChange={props.onChange}
      placeholder={placeholder}
      description={props.description}
      isRequired={props.isRequired}
      error={props.error}
      testId={props.testId}
      footer={<CreateSecretLink prefixText="Not listed? " />}
    />
  );
}
