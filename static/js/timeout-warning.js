// The GOV.UK timeout warning: a modal dialog two minutes before the service signs a person
// out for being idle (accounts/idle.py). "Stay signed in" (or Escape) posts to the
// keep-alive URL and starts the clock again; doing nothing ends on the sign-in page. Every
// page load starts the clock again, as the server does.
const dialog = document.getElementById("app-timeout-warning");
if (dialog && typeof dialog.showModal === "function") {
  const idle = Number(dialog.dataset.idleSeconds) * 1000;
  const warning = Number(dialog.dataset.warningSeconds) * 1000;
  const countdown = dialog.querySelector("[data-countdown]");
  const keepAlive = dialog.querySelector("form[data-keep-alive]");
  let deadline, timers = [], returnFocus = null;

  const signedOut = () => { window.location.href = dialog.dataset.signedOutUrl; };
  const say = () => {
    const seconds = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    const minutes = Math.ceil(seconds / 60);
    countdown.textContent = seconds < 60
      ? `${seconds} second${seconds === 1 ? "" : "s"}`
      : `${minutes} minute${minutes === 1 ? "" : "s"}`;
  };
  const show = () => {
    returnFocus = document.activeElement;
    say();
    timers.push(setInterval(say, 1000));
    dialog.showModal();  // focus moves into the dialog, to "Stay signed in"
  };
  const start = () => {
    timers.forEach((t) => { clearTimeout(t); clearInterval(t); });
    deadline = Date.now() + idle;
    // A moment past the server's limit, so the sign-in page finds the session ended.
    timers = [setTimeout(show, Math.max(0, idle - warning)), setTimeout(signedOut, idle + 2000)];
  };

  keepAlive.addEventListener("submit", (event) => {
    event.preventDefault();
    fetch(keepAlive.action, { method: "POST", body: new FormData(keepAlive), credentials: "same-origin", redirect: "manual" })
      .then((response) => {
        if (response.status !== 204) { signedOut(); return; }
        dialog.close();
        if (returnFocus) returnFocus.focus();
        start();
      })
      .catch(signedOut);
  });
  dialog.addEventListener("cancel", (event) => { event.preventDefault(); keepAlive.requestSubmit(); });
  start();
}
