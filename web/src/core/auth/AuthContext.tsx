import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { authApi } from './auth-api';
import { session } from './session';
import type { CurrentUser, TokenResponse } from './types';

type Status = 'restoring' | 'anonymous' | 'authenticated';

interface AuthState {
  status: Status;
  user?: CurrentUser;
  /** Why the user was signed out, shown on the login screen ("Your session expired"). */
  notice?: string;
  /** Starts a session from a token pair (login, MFA, enrolment) and loads the user. */
  signIn(tokens: TokenResponse): Promise<CurrentUser>;
  signOut(): Promise<void>;
  reloadUser(): Promise<void>;
}

const AuthContext = createContext<AuthState | undefined>(undefined);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status>(session.hasRefreshToken() ? 'restoring' : 'anonymous');
  const [user, setUser] = useState<CurrentUser>();
  const [notice, setNotice] = useState<string>();

  const dropSession = useCallback(
    (why?: string) => {
      setUser(undefined);
      setStatus('anonymous');
      setNotice(why);
      queryClient.clear(); // no PHI lingers in the cache for the next user of this browser
    },
    [queryClient],
  );

  useEffect(
    () =>
      session.subscribe((e) => {
        if (e === 'expired') dropSession('Your session has expired. Please sign in again.');
      }),
    [dropSession],
  );

  // A reload keeps the refresh token (sessionStorage) but not the access token: restore silently.
  useEffect(() => {
    if (status !== 'restoring') return;
    let cancelled = false;
    void (async () => {
      const ok = await session.refresh();
      if (cancelled) return;
      if (!ok) {
        dropSession();
        return;
      }
      try {
        setUser(await authApi.me());
        setStatus('authenticated');
      } catch {
        dropSession();
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [status, dropSession]);

  const signIn = useCallback(async (tokens: TokenResponse) => {
    session.set(tokens);
    const me = await authApi.me();
    setUser(me);
    setNotice(undefined);
    setStatus('authenticated');
    return me;
  }, []);

  const signOut = useCallback(async () => {
    const refreshToken = session.refreshToken;
    try {
      await authApi.logout(refreshToken);
    } catch {
      /* the local session ends either way */
    }
    session.clear();
    dropSession('You have signed out.');
  }, [dropSession]);

  const reloadUser = useCallback(async () => {
    setUser(await authApi.me());
  }, []);

  const value = useMemo<AuthState>(
    () => ({ status, user, notice, signIn, signOut, reloadUser }),
    [status, user, notice, signIn, signOut, reloadUser],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
