import type { ReactNode } from 'react';
import { FieldError, Input, Label, Text, TextArea, TextField } from 'react-aria-components/TextField';

export interface TextInputProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly description?: ReactNode;
  /** Shown (and the field marked invalid) when not null. */
  readonly error?: string | null;
  readonly type?: 'text' | 'password' | 'email' | 'url' | 'datetime-local' | 'search';
  readonly multiline?: boolean;
  readonly rows?: number;
  readonly isRequired?: boolean;
  readonly isDisabled?: boolean;
  readonly autoFocus?: boolean;
  readonly autoComplete?: string;
  readonly placeholder?: string;
  readonly name?: string;
  readonly className?: string;
  readonly mono?: boolean;
  readonly testId?: string;
  readonly onBlur?: () => void;
}

/** A labelled text field (react-aria TextField) with helper text and an error message. */
export function TextInput(props: TextInputProps) {
  const inputClass = props.mono ? 'input mono' : 'input';
  return (
    <TextField
      className={props.className ?? 'field'}
      value={props.value}
      onChange={props.onChange}
      onBlur={props.onBlur}
      type={props.multiline ? undefined : (props.type ?? 'text')}
      isRequired={props.isRequired}
      isDisabled={props.isDisabled}
      isInvalid={props.error != null}
      autoFocus={props.autoFocus}
      autoComplete={props.autoComplete}
      name={props.name}
      validationBehavior="aria"
      data-testid={props.testId}
    >
      <Label className="field-label">
        {props.label}
        {props.isRequired ? <span aria-hidden="true" className="required-mark"> *</span> : null}
      </Label>
      {props.multiline ? (
        <TextArea className={`${inputClass} textarea`} rows={props.rows ?? 4} placeholder={props.placeholder} spellCheck={false} />
      ) : (
        <Input className={inputClass} placeholder={props.placeholder} spellCheck={false} />
      )}
      {props.description ? (
        <Text slot="description" className="field-help">
          {props.description}
        </Text>
      ) : null}
      <FieldError className="field-error">{props.error}</FieldError>
    </TextField>
  );
}
