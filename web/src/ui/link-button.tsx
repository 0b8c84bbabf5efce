import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Button } from 'react-aria-components/Button';

/**
 * A navigation action that looks like a button. When the user may not take it, it is a
 * disabled button described by the visible reason (`reasonId`), not a hidden link.
 */
export function LinkButton(props: {
  readonly to: string;
  readonly children: ReactNode;
  readonly variant?: 'primary' | 'secondary' | 'quiet';
  readonly isDisabled?: boolean;
  readonly reasonId?: string;
  readonly testId?: string;
}) {
  const className = `btn btn-${props.variant ?? 'secondary'}`;
  if (props.isDisabled) {
    return (
      <Button className={className} isDisabled aria-describedby={props.reasonId} data-testid={props.testId}>
        {props.children}
      </Button>
    );
  }
  return (
    <Link className={className} to={props.to} data-testid={props.testId}>
      {props.children}
    </Link>
  );
}
