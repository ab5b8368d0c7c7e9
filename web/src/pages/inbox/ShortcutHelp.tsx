// The keyboard shortcuts, shown with "?" (or the button above the list).
import { useEffect, useRef } from "react";
import { useInboxT } from "./messages";

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const t = useInboxT();
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    close.current?.focus();
    return () => before?.focus?.();
  }, []);
  const rows: [string, Parameters<typeof t>[0]][] = [
    ["j", "keyNext"],
    ["k", "keyPrev"],
    ["Enter", "keyOpen"],
    ["r", "keyReply"],
    ["s", "keySaved"],
    ["e", "keyResolve"],
    ["a", "keyAssign"],
    ["Esc", "keyBack"],
    ["?", "keyHelp"],
  ];
  return (
    <div className="inbox-dialog-backdrop" onClick={onClose}>
      <div
        className="card inbox-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="inbox-keys-title"
        onClick={(e) => e.stopPropagation()}
        data-testid="shortcut-help"
      >
        <h2 id="inbox-keys-title">{t("shortcutsTitle")}</h2>
        <table>
          <tbody>
            {rows.map(([k, label]) => (
              <tr key={k}>
                <td>
                  <kbd>{k}</kbd>
                </td>
                <td>{t(label)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">{t("shortcutsNote")}</p>
        <button type="button" ref={close} onClick={onClose}>
          {t("close")}
        </button>
      </div>
    </div>
  );
}
