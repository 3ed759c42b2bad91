/** Hash routing (`/#/incidents/42`): no router dependency, and the sidecar serves one index.html. */
import { useEffect, useState } from "react";

export const PAGES = ["overview", "incidents", "plans", "agents", "runbooks", "ask", "capacity"] as const;
export type PageName = (typeof PAGES)[number];

export interface Route {
  page: PageName | "incident";
  /** The incident id for page "incident". */
  id?: string;
}

/** The route a hash names; unknown hashes go to the overview. */
export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("?")[0]!.split("/").filter(Boolean);
  const [first, second] = parts;
  if (first === "incidents" && second) return { page: "incident", id: decodeURIComponent(second) };
  if ((PAGES as readonly string[]).includes(first ?? "")) return { page: first as PageName };
  return { page: "overview" };
}

/** The href of a page or an incident. */
export function hrefOf(route: Route): string {
  if (route.page === "incident") return `#/incidents/${encodeURIComponent(route.id ?? "")}`;
  return `#/${route.page}`;
}

/** The current route, following hash changes. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
