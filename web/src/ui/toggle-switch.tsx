import type { ReactNode } from 'react';
import { SwitchButton, SwitchField } from 'react-aria-components/Switch';
import { Text } from 'react-aria-components/Text';

export interface ToggleSwitchProps {
  readonly label: string;
  readonly isSelected: boolean;
  readonly onChange: (value: boolean) => void;
  readonly description?: ReactNode;
  readonly isDisabled?: boolean;
}

/** A labelled on/off switch (react-aria SwitchField). */
export function ToggleSwitch(props: ToggleSwitchProps) {
  return (
    <SwitchField
      className="switch-field"
      isSelected={props.isSelected}
      onChange={props.onChange}
      isDisabled={props.isDisabled}
    >
      <SwitchButton className="switch">
        <span className="switch-track" aria-hidden="true">
          <span className="switch-thumb" />
        </span>
        <span className="switch-label">{props.label}</span>
      </SwitchButton>
      {props.description ? (
        <Text slot="description" className="field-help">
          {props.description}
        </Text>
      ) : null}
    </SwitchField>
  );
}
