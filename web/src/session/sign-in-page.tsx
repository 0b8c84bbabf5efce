import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { Button } from 'react-aria-components/Button';
import { Form } from 'react-aria-components/Form';
import { messageOf } from '../api/http.ts';
import { fetchFirstUserNeeded, fetchSession, signIn } from '../api/session-api.ts';
import { Notice } from '../ui/notice.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { LoadingState } from '../ui/states.tsx';
import { SESSION_KEY, useSessionQuery } from './session-queries.ts';

/** Only same-site paths: `next` comes from the URL and must not send people elsewhere. */
function safeNext(next: string | null): string {
  if (next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login')) return next;
  return '/sandbox/secrets';
}

/** Email + password sign-in; the server sets the session cookie. */
export function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const session = useSessionQuery();
  // Asked again on focus: once the first user is created in a terminal, the hint goes.
  const setup = useQuery({ queryKey: ['first-user-needed'], queryFn: fetchFirstUserNeeded, enabled: session.data === null, retry: false });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));

  if (session.isPending) return <div className="fullpage"><LoadingState /></div>;
  if (session.data) return <Navigate to={next} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
      await queryClient.fetchQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 0 });
      navigate(next, { replace: true });
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <div className="signin-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">H</span> Hush
        </div>
        <h1 className="signin-title">Sign in to the console</h1>
        {setup.data ? (
          <Notice tone="info" title="No user exists yet" testId="first-user-hint">
            <p>Create the first one on the server, in the folder Hush runs from:</p>
            <pre className="signin-command"><code>npm run -s hush -- user create --email you@example.com --password-stdin</code></pre>
            <p>It asks for the password twice. Then sign in here with that email and password.</p>
          </Notice>
        ) : null}
        <Form onSubmit={submit} className="form-stack" aria-label="Sign in">
          <TextInput label="Email" type="email" value={email} onChange={setEmail} autoComplete="username" isRequired autoFocus />
          <TextInput
            label="Password"
            type="password"
            value={password}
            onChange={setPassword}
            autoComplete="current-password"
            isRequired
          />
          {error ? <Notice tone="error">{error}</Notice> : null}
          <Button type="submit" className="btn btn-primary btn-block" isPending={busy}>
            Sign in
          </Button>
        </Form>
      </div>
    </main>
  );
}
