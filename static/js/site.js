// Cité des métiers — the few behaviours every page shares. Served as a file: the CSP forbids inline script.
"use strict";

// Session expiry warning (WCAG 2.2.1): a dialog some time before a staff session ends, which lets the
// person stay signed in. The server remains the judge: before warning, the page asks it how much time
// is really left (another tab may have been used), with a passive request that does not count as activity.
(function sessionWarning() {
  const body = document.body;
  const dialog = document.getElementById("session-dialog");
  if (!dialog || !body.dataset.sessionRemaining) {
    return;
  }
  const warningMs = Number(body.dataset.sessionWarning || 120) * 1000;
  const statusUrl = body.dataset.sessionStatusUrl;
  const text = dialog.querySelector("#session-dialog-text");
  const countdown = dialog.querySelector(".session-countdown");
  const keepalive = dialog.querySelector("form[data-session-keepalive]");
  let deadline = Date.now() + Number(body.dataset.sessionRemaining) * 1000;
  let timer = null;
  let ticker = null;

  function formatTime(ms) {
    const total = Math.max(0, Math.ceil(ms / 1000));
    const minutes = Math.floor(total / 60);
    const seconds = String(total % 60).padStart(2, "0");
    return minutes + ":" + seconds;
  }

  function signedOut() {
    // The server ends the session; reloading shows the sign-in page with its explanation.
    window.location.reload();
  }

  function accept(data) {
    if (!data || !data.signed_in) {
      signedOut();
      return null;
    }
    deadline = Date.now() + data.remaining * 1000;
    return data;
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, Math.max(1000, deadline - Date.now() - warningMs));
  }

  function tick() {
    const left = deadline - Date.now();
    countdown.textContent = formatTime(left);
    if (left <= 0) {
      window.clearInterval(ticker);
      signedOut();
    }
  }

  function open(extendable) {
    const template = extendable ? dialog.dataset.textExtendable : dialog.dataset.textFinal;
    text.textContent = template.replace("%(time)s", formatTime(deadline - Date.now()));
    keepalive.hidden = !extendable;
    tick();
    window.clearInterval(ticker);
    ticker = window.setInterval(tick, 1000);
    if (!dialog.open) {
      dialog.showModal();
    }
  }

  function close() {
    window.clearInterval(ticker);
    if (dialog.open) {
      dialog.close();
    }
    schedule();
  }

  async function check() {
    try {
      const response = await fetch(statusUrl, {
        headers: { Accept: "application/json", "X-Session-Passive": "1" },
        credentials: "same-origin",
      });
      const data = accept(await response.json());
      if (!data) {
        return;
      }
      if (deadline - Date.now() > warningMs) {
        close();
      } else {
        open(data.extendable);
      }
    } catch (error) {
      // Offline: warn from the local estimate; the server decides when the connection is back.
      if (deadline - Date.now() <= warningMs) {
        open(true);
      } else {
        schedule();
      }
    }
  }

  async function stay(event) {
    event.preventDefault();
    try {
      const response = await fetch(keepalive.action, {
        method: "POST",
        body: new FormData(keepalive),
        headers: { Accept: "application/json", "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
      if (accept(await response.json())) {
        close();
      }
    } catch (error) {
      keepalive.submit();
    }
  }

  keepalive.addEventListener("submit", stay);
  // Escape means the person is here: treat it as "stay signed in" rather than a silent dismissal.
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    if (!keepalive.hidden) {
      keepalive.requestSubmit();
    }
  });
  schedule();
})();

// Print buttons, and pages opened to be printed (a queue ticket). The desk's "Print the ticket" prints
// the ticket from the desk itself (its print area, alone on the page): one click, no tab left open.
(function printing() {
  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-print-ticket]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    document.body.classList.add("print-ticket");
    window.addEventListener("afterprint", () => document.body.classList.remove("print-ticket"), { once: true });
    window.print();
  });
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  if (document.body.classList.contains("autoprint")) {
    window.addEventListener("load", () => window.print());
  }
})();

// The waiting-room screen refreshes itself every few seconds; a screen reader hears a newly called
// number once, not every refresh.
(function boardAnnouncements() {
  const live = document.querySelector("[data-board-announcement]");
  if (!live) {
    return;
  }
  let announced = (document.querySelector("[data-latest]") || {}).dataset?.latest || "";
  document.body.addEventListener("htmx:afterSwap", () => {
    const board = document.querySelector("[data-latest]");
    if (board && board.dataset.latest !== announced) {
      announced = board.dataset.latest;
      live.textContent = board.dataset.announcement;
    }
  });
})();

// The − and + buttons around a number (data-step on the button, aria-controls naming the input).
(function steppers() {
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-step]");
    if (!button) {
      return;
    }
    const input = document.getElementById(button.getAttribute("aria-controls"));
    if (!input) {
      return;
    }
    const min = input.min === "" ? 0 : Number(input.min);
    const max = input.max === "" ? Infinity : Number(input.max);
    const value = Number(input.value || min) + Number(button.dataset.step);
    input.value = String(Math.min(max, Math.max(min, value)));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();

// A long wait shown as it goes (the report's preview): the seconds elapsed, and the progress bar filled
// towards the last time's duration (never to its end: it is an estimate); both stop when the wait ends.
(function elapsed() {
  const text = document.querySelector("[data-elapsed]");
  if (!text) return;
  const bar = document.querySelector("[data-elapsed-progress]");
  const started = Date.now();
  const timer = setInterval(() => {
    if (!document.body.contains(text)) {
      clearInterval(timer);
      return;
    }
    const seconds = Math.round((Date.now() - started) / 1000);
    text.textContent = text.dataset.elapsedText.replace("SECONDS", seconds);
    if (bar && bar.max > 1) bar.value = Math.min(seconds, bar.max * 0.95);
  }, 1000);
})();
