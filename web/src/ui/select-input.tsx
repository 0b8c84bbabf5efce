import type { ReactNode } from 'react';
import type { Key } from 'react-aria-components/Select';
import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue, Text } from 'react-aria-components/Select';

export interface SelectOption {
  readonly id: string;
  readonly label: string;
}

export interface SelectInputProps {
  readonly label: string;
  readonly options: readonly SelectOption[];
  readonly value: string | null;
  readonly onChange: (value: string) => void;
  readonly description?: ReactNode;
  readonly placeholder?: string;
  readonly isDisabled?: boolean;
  readonly isRequired?: boolean;
  readonly error?: string | null;
  readonly className?: string;
  /** Extra content under the field (e.g. a link). */
  readonly footer?: ReactNode;
  /** When the visible label is not enough (e.g. one select per table row). */
  readonly ariaLabel?: string;
  readonly testId?: string;
}

/** A labelled single-choice select (react-aria Select + ListBox in a Popover). */
export function SelectInput(props: SelectInputProps) {
  return (
    <Select
      className={props.className ?? 'field'}
      value={props.value}
      onChange={(key: Key | null) => {
        if (key != null) props.onChange(String(key));
      }}
      placeholder={props.placeholder ?? 'Choose…'}
      isDisabled={props.isDisabled}
      isRequired={props.isRequired}
      isInvalid={props.error != null}
      aria-label={props.ariaLabel}
      data-testid={props.testId}
    >
      <Label className={props.ariaLabel ? 'visually-hidden' : 'field-label'}>
        {props.label}
        {props.isRequired ? <span aria-hidden="true" className="required-mark"> *</span> : null}
      </Label>
      <Button className="input select-button">
        <SelectValue className="select-value" />
        <span aria-hidden="true" className="select-chevron">▾</span>
      </Button>
      {props.description ? (
        <Text slot="description" className="field-help">
          {props.description}
        </Text>
      ) : null}
      {props.error ? (
        <Text slot="errorMessage" className="field-error">
          {props.error}
        </Text>
      ) : null}
      {props.footer}
      <Popover className="popover">
        <ListBox className="listbox" items={props.options}>
          {(option) => (
            <ListBoxItem className="listbox-item" id={option.id} textValue={option.label}>
              {option.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </Select>
  );
}
