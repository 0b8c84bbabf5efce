import { useLocation, useNavigate } from 'react-router';
import { consolePath, orgScope, SANDBOX, scopeKey } from '../scope/scope.ts';
import { useScope } from '../scope/scope-context.tsx';
import { SelectInput, type SelectOption } from '../ui/select-input.tsx';

const ROLE_LABEL = { administrator: 'administrator', developer: 'developer', 'view-only': 'view-only' } as const;

/** Switches between the user's sandbox and their organizations, staying on the same section. */
export function ScopeSwitcher() {
  const { scope, session, base } = useScope();
  const navigate = useNavigate();
  const location = useLocation();
  const options: SelectOption[] = [
    { id: scopeKey(SANDBOX), label: `Sandbox (${session.user.username})` },
    ...session.orgs.map((org) => ({ id: scopeKey(orgScope(org)), label: `${org.name} · ${ROLE_LABEL[org.role]}` })),
  ];
  const onChange = (key: string) => {
    if (key === scopeKey(scope)) return;
    const target =
      key === 'sandbox' ? SANDBOX : orgScope(session.orgs.find((o) => scopeKey(orgScope(o)) === key)!);
    // Keep the section (secrets, integrations…) but drop ids that belong to the old scope.
    const section = location.pathname.slice(base.length).split('/')[1] || 'secrets';
    navigate(`${consolePath(target)}/${section}`);
  };
  return (
    <SelectInput
      className="scope-switcher"
      label="Scope"
      options={options}
      value={scopeKey(scope)}
      onChange={onChange}
      testId="scope-switcher"
    />
  );
}
