// A small History-API router: the gateway answers every non-/api path with index.html, so
// /calendar, /inbox/<thread id> and the rest are real addresses that can be bookmarked.
import { createContext, useContext, useEffect, useState, type MouseEvent, type ReactNode } from "react";

const RouterContext = createContext<{ path: string; navigate: (to: string) => void }>({
  path: "/",
  navigate: () => {},
});

export function RouterProvider({ children }: { children: ReactNode }) {
  const [path, setPath] = useState(location.pathname + location.search);
  useEffect(() => {
    const onPop = () => setPath(location.pathname + location.search);
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const navigate = (to: string) => {
    if (to === location.pathname + location.search) return;
    history.pushState(null, "", to);
    setPath(to);
  };
  return <RouterContext.Provider value={{ path, navigate }}>{children}</RouterContext.Provider>;
}

export function useRouter() {
  return useContext(RouterContext);
}

// The path without its query, split: "/inbox/abc" -> ["inbox", "abc"].
export function useRoute(): string[] {
  const { path } = useRouter();
  return path.split("?")[0].split("/").filter(Boolean);
}

export function Link({ to, children, className, ...rest }: { to: string; children: ReactNode; className?: string } & Record<string, unknown>) {
  const { navigate, path } = useRouter();
  const active = path.split("?")[0] === to || path.startsWith(to + "/");
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} className={className} aria-current={active ? "page" : undefined} {...rest}>
      {children}
    </a>
  );
}
