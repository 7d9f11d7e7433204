// The operator's actions: every change asks for confirmation first and says how it went in a notice.
import { $, element, focusByKey } from "./dom.js";

let toastTimer;

function toast(message, isError = false) {
  const node = $("toast");
  node.textContent = message;
  node.classList.toggle("error", isError);
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { node.hidden = true; }, 8000);
}

function confirmAction(message) {
  const dialog = $("confirm");
  $("confirm-message").textContent = message;
  return new Promise((resolve) => {
    const finish = (answer) => {
      $("confirm-ok").onclick = null;
      $("confirm-cancel").onclick = null;
      dialog.onclose = null;
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    $("confirm-ok").onclick = () => finish(true);
    $("confirm-cancel").onclick = () => finish(false);
    dialog.onclose = () => finish(false);
    dialog.showModal();
    $("confirm-cancel").focus();
  });
}

// A button that asks `question`, then runs `run`, says `done` (or why it failed) and asks for a refresh, so the page
// shows the change without a reload.
export function actionButton({ label, question, run, done, focusKey, name, refreshSoon }) {
  const button = element("button", label, "action");
  button.type = "button";
  button.dataset.focusKey = focusKey;
  if (name) button.setAttribute("aria-label", name);
  button.addEventListener("click", async () => {
    if (!(await confirmAction(question))) return;
    button.disabled = true;
    try {
      await run();
      toast(done);
    } catch (error) {
      toast(`Failed: ${error.message}`, true);
    } finally {
      button.disabled = false;
      focusByKey(focusKey);
      refreshSoon();
    }
  });
  return button;
}
