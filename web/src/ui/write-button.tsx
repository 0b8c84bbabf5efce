import { Button } from 'react-aria-components/Button';
import { useScope } from '../scope/scope-context.tsx';

/**
 * A page's main write action (Create …, Add …): disabled for view-only members and
 * described by the `DisabledReason` with id `reasonId` that the page shows then.
 */
export function WriteButton(props: { readonly label: string; readonly testId: string; readonly reasonId: string; readonly onPress: () => void }) {
  const { perms } = useScope();
  return (
    <Button
      className="btn btn-primary"
      data-testid={props.testId}
      isDisabled={!perms.canWrite}
      aria-describedby={perms.writeReason ? props.reasonId : undefined}
      onPress={props.onPress}
    >
      {props.label}
    </Button>
  );
}
