// The inbox's modal dialogs: the backdrop (a click outside closes), the dialog role and its
// label, Esc to close, and the focus moved into the dialog and back to where it was.
import { useEffect, useRef, type FormEvent, type ReactNode } from "react";

// Focuses the returned ref's element when the dialog opens; gives the focus back when it closes.
export function useDialogFocus<T extends HTMLElement>() {
  const first = useRef<T>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    first.current?.focus();
    return () => before?.focus?.();
  }, []);
  return first;
}

export function InboxDialog(p: {
  labelledBy: string;
  testId: string;
  className?: string;
  onClose: () => void;
  onSubmit?: (e: FormEvent) => void; // a form dialog
  closeOnEscape?: boolean; // default true
  children: ReactNode;
}) {
  const common = {
    className: `card inbox-dialog${p.className ? ` ${p.className}` : ""}`,
    role: "dialog",
    "aria-modal": true,
    "aria-labelledby": p.labelledBy,
    "data-testid": p.testId,
    onClick: (e: { stopPropagation: () => void }) => e.stopPropagation(),
    onKeyDown: (e: { key: string; stopPropagation: () => void }) => {
      if (p.closeOnEscape !== false && e.key === "Escape") {
        e.stopPropagation();
        p.onClose();
      }
    },
  };
  return (
    <div className="inbox-dialog-backdrop" onClick={p.onClose}>
      {p.onSubmit ? (
        <form {...common} onSubmit={p.onSubmit} noValidate>
          {p.children}
        </form>
      ) : (
        <div {...common}>{p.children}</div>
      )}
    </div>
  );
}
