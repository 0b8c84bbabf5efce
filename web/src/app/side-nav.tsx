import { NavLink } from 'react-router';
import { useScope } from '../scope/scope-context.tsx';

function Item(props: { readonly to: string; readonly label: string }) {
  return (
    <li>
      <NavLink to={props.to} className={({ isActive }) => (isActive ? 'nav-link active' : 'nav-link')}>
        {props.label}
      </NavLink>
    </li>
  );
}

/** Left navigation: Cloud services (Secrets, Ledger, Environment variables, Integrations, Logic), Products, Events, Members, Audit. */
export function SideNav() {
  const { base } = useScope();
  return (
    <nav className="sidenav" aria-label="Console">
      <p className="nav-heading" id="nav-cloud-services">
        Cloud services
      </p>
      <ul className="nav-list" aria-labelledby="nav-cloud-services">
        <Item to={`${base}/secrets`} label="Secrets" />
        <Item to={`${base}/ledger`} label="Ledger" />
        <Item to={`${base}/env`} label="Environment variables" />
        <Item to={`${base}/integrations`} label="Integrations" />
        <Item to={`${base}/logic`} label="Logic" />
      </ul>
      <ul className="nav-list nav-list-more">
        <Item to={`${base}/products`} label="Products" />
        <Item to={`${base}/events`} label="Events" />
        <Item to={`${base}/members`} label="Members" />
        <Item to={`${base}/audit`} label="Audit" />
      </ul>
    </nav>
  );
}
