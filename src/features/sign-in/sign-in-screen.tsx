// The sign-in screen: username and PIN, once per shift on a shared device. It does not navigate:
// the stored session changes, and the router's guard (app/router.tsx) moves a signed-in user on.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { signIn } from './commands';

export default function SignInScreen() {
  const [username, setUsername] = useState('');
  const [pin, setPin] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setPending(true);
    setError(null);
    const result = await signIn(username, pin);
    // On success the button stays disabled until the guard navigates away.
    if (result.ok) return;
    setPending(false);
    setError(result.message);
    if (result.reason === 'invalid-credentials') setPin('');
  }

  return (
    <main className="sign-in">
      <h1 className="sign-in-title">Dockhand</h1>
      <form className="sign-in-form" onSubmit={onSubmit} noValidate aria-describedby={error ? errorId : undefined}>
        <label className="field">
          <span className="field-label">Username</span>
          <input
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            autoFocus
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">PIN</span>
          <input
            name="pin"
            type="password"
            inputMode="numeric"
            autoComplete="current-password"
            required
            value={pin}
            onChange={(e) => setPin(e.target.value)}
          />
        </label>
        {error && (
          <p id={errorId} className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
