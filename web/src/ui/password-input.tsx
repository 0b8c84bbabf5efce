import { useState, type ReactNode } from 'react';
import { FieldError, Input, Label, Text, TextField } from 'react-aria-components/TextField';
import { ToggleButton } from 'react-aria-components/ToggleButton';

export interface PasswordInputProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly description?: ReactNode;
  readonly error?: string | null;
  readonly isRequired?: boolean;
  readonly autoFocus?: boolean;
  /** `new-password` keeps browsers from filling in a saved password. */
  readonly autoComplete?: string;
}

/**
 * A masked input with a "Show value" toggle so people can check what they typed.
 * Used for secret values: the stored value is never put in here.
 */
export function PasswordInput(props: PasswordInputProps) {
  const [visible, setVisible] = useState(false);
  return (
    <TextField
      className="field"
      value={props.value}
      onChange={props.onChange}
      type={visible ? 'text' : 'password'}
      isRequired={props.isRequired}
      isInvalid={props.error != null}
      autoFocus={props.autoFocus}
      autoComplete={props.autoComplete ?? 'new-password'}
      validationBehavior="aria"
    >
      <Label className="field-label">
        {props.label}
        {props.isRequired ? <span aria-hidden="true" className="required-mark"> *</span> : null}
      </Label>
      <div className="input-with-button">
        <Input className="input mono" spellCheck={false} data-1p-ignore="" data-lpignore="true" />
        <ToggleButton className="btn btn-quiet btn-small" isSelected={visible} onChange={setVisible}>
          {visible ? 'Hide value' : 'Show value'}
        </ToggleButton>
      </div>
      {props.description ? (
        <Text slot="description" className="field-help">
          {props.description}
        </Text>
      ) : null}
      <FieldError className="field-error">{props.error}</FieldError>
    </TextField>
  );
}
