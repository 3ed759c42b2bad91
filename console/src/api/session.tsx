/**
 * The signed-in session: probed at start (GET /session), made by signIn (POST /session), ended
 * by signOut (DELETE /session) or by any call answering 401. Also loads the namespaces the user
 * may read, with what the user may do in each.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { ApiError, api, setCsrfToken, setUnauthorizedHandler } from "./client.ts";
import type { NamespaceAccess, Session } from "./types.ts";

type State =
  | { kind: "probing" }
  | { kind: "signedOut"; expired: boolean }
  | { kind: "signedIn"; session: Session; namespaces: NamespaceAccess[] };

interface SessionApi {
  state: State;
  signIn: (token: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const Ctx = createContext<SessionApi | undefined>(undefined);

async function namespacesOf(): Promise<NamespaceAccess[]> {
  try {
    return (await api<{ items: NamespaceAccess[] }>("GET", "/namespaces")).items;
  } catch (err) {
    // Pages still work without the list; they show their own errors.
    if (err instanceof ApiError && err.status !== 401) return [];
    throw err;
  }
}

/** Provides the session to the console. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ kind: "probing" });

  const enter = useCallback(async (session: Session) => {
    setCsrfToken(session.csrfToken);
    const namespaces = await namespacesOf();
    setState({ kind: "signedIn", session, namespaces });
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(undefined);
      setState({ kind: "signedOut", expired: true });
    });
    const ctl = new AbortController();
    api<Session>("GET", "/session", { quiet401: true, signal: ctl.signal })
      .then(enter)
      .catch((err: unknown) => {
        if (!ctl.signal.aborted) setState({ kind: "signedOut", expired: false });
        if (!(err instanceof ApiError) && !ctl.signal.aborted) console.error(err);
      });
    return () => {
      ctl.abort();
      setUnauthorizedHandler(undefined);
    };
  }, [enter]);

  const signIn = useCallback(
    async (token: string) => {
      const session = await api<Session>("POST", "/session", { body: { token }, quiet401: true });
      await enter(session);
    },
    [enter],
  );

  const signOut = useCallback(async () => {
    try {
      await api<void>("DELETE", "/session", { quiet401: true });
    } finally {
      setCsrfToken(undefined);
      setState({ kind: "signedOut", expired: false });
    }
  }, []);

  const value = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

/** The session state and its actions. */
export function useSession(): SessionApi {
  const value = useContext(Ctx);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

/** The namespaces the signed-in user may read (empty when signed out). */
export function useNamespaces(): NamespaceAccess[] {
  const { state } = useSession();
  return state.kind === "signedIn" ? state.namespaces : [];
}
