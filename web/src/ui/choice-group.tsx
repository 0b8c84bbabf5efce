import type { ReactNode } from 'react';
import { Label, RadioButton, RadioField, RadioGroup, Text } from 'react-aria-components/RadioGroup';

export interface Choice<T extends string> {
  readonly id: T;
  readonly label: string;
}

/** A labelled set of radio buttons (react-aria RadioGroup). */
export function ChoiceGroup<T extends string>(props: {
  readonly label: string;
  readonly choices: readonly Choice<T>[];
  readonly value: T;
  readonly onChange: (value: T) => void;
  readonly description?: ReactNode;
  readonly isDisabled?: boolean;
}) {
  return (
    <RadioGroup
      className="field"
      value={props.value}
      onChange={(v) => props.onChange(v as T)}
      isDisabled={props.isDisabled}
      orientation="horizontal"
    >
      <Label className="field-label">{props.label}</Label>
      <div className="radio-group">
        {props.choices.map((c) => (
          <RadioField key={c.id} value={c.id}>
            <RadioButton className="radio">
              <span className="radio-dot" aria-hidden="true" />
              {c.label}
            </RadioButton>
          </RadioField>
        ))}
      </div>
      {props.description ? (
        <Text slot="description" className="field-help">
          {props.description}
        </Text>
      ) : null}
    </RadioGroup>
  );
}
