// Idempotent capture, browser side (the server side is citedesmetiers/capture.py), for every form marked
// data-capture. An entry is posted with the key the server minted when it showed the form. When the server
// cannot be reached (or the session has ended), the entry is kept in this browser with the time of the tap
// and sent again, with the same key, until the server acknowledges it: the key makes every resend harmless.
// Without JavaScript the form still works: a plain POST, then the page again.
"use strict";

(function capture() {
  const forms = document.querySelectorAll("form[data-capture]");
  if (!forms.length) {
    return;
  }
  const STORE = "cdm.capture.outbox.v1";
  const RETRY_MS = 10000;
  // On a form marked data-capture-same-press (the desk), a second press of the same button with the
  // same choices within this time of the first one's confirmation is the same visitor (a double click,
  // a double tap): it is shown, not recorded again. The multimedia space's "+1" counts every tap.
  const SAME_PRESS_MS = 1000;
  const FEEDBACK_MS = 1500;
  const banner = document.querySelector("[data-capture-banner]");
  let flushing = false;
  let state = "online"; // online | offline | signed-out

  // --- storage -------------------------------------------------------------------------------
  function load() {
    try {
      return JSON.parse(window.localStorage.getItem(STORE) || "[]");
    } catch (error) {
      return [];
    }
  }

  function store(entries) {
    window.localStorage.setItem(STORE, JSON.stringify(entries));
  }

  function keep(entry) {
    const entries = load();
    if (!entries.some((kept) => kept.key === entry.key)) {
      entries.push(entry);
      store(entries);
    }
  }

  function forget(key) {
    store(load().filter((kept) => kept.key !== key));
  }

  // --- keys, tokens, time ----------------------------------------------------------------------
  function newKey() {
    if (window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // The server's clock as seen from this page, so that a device with a wrong clock keeps right times.
  const serverNow = Number(forms[0].dataset.serverNow || Date.now());
  const clockOffset = serverNow - Date.now();

  function now() {
    return new Date(Date.now() + clockOffset);
  }

  // --- sending ---------------------------------------------------------------------------------
  // Resolves to {kind, html}: done (recorded, or already recorded), invalid (refused by the server,
  // with its reasons), offline (not reached, or failing: try again) or signed-out (sign in again).
  async function send(entry, queued) {
    const body = new URLSearchParams(entry.fields.filter(([name]) => name !== "queued_at"));
    if (queued) {
      body.append("queued_at", entry.tapped_at);
    }
    body.append("csrfmiddlewaretoken", csrfToken());
    let response;
    try {
      response = await window.fetch(entry.url, {
        method: "POST",
        body,
        credentials: "same-origin",
        redirect: "manual",
        headers: { "HX-Request": "true", "X-CSRFToken": csrfToken(), Accept: "text/html" },
      });
    } catch (error) {
      return { kind: "offline" };
    }
    if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
      return { kind: "signed-out" };
    }
    if (response.status === 204 && response.headers.get("HX-Redirect")) {
      return { kind: "signed-out" };
    }
    if (response.ok) {
      return { kind: "done", html: await response.text() };
    }
    if (response.status === 400 || response.status === 422) {
      return { kind: "invalid", html: await response.text() };
    }
    return { kind: "offline" };
  }

  // Replaces each element of the page that has the id of an element of the answer.
  function swap(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    Array.from(template.content.children).forEach((fresh) => {
      const current = fresh.id && document.getElementById(fresh.id);
      if (current) {
        current.replaceWith(fresh);
        if (window.htmx) {
          window.htmx.process(fresh);
        }
      }
    });
  }

  function textOf(html, selector) {
    const template = document.createElement("template");
    template.innerHTML = html;
    const element = template.content.querySelector(selector);
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function resetAfterCapture(form) {
    form.querySelectorAll("[data-capture-reset]").forEach((field) => {
      if (field.tagName === "SELECT") {
        field.selectedIndex = 0;
      } else {
        field.value = field.defaultValue;
      }
    });
  }

  // An element's words, without its keyboard shortcut.
  function words(element) {
    const copy = element.cloneNode(true);
    copy.querySelectorAll("kbd").forEach((key) => key.remove());
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function summary(form, submitter) {
    const parts = [submitter ? words(submitter) : ""];
    form.querySelectorAll("input[type=radio]:checked").forEach((radio) => {
      const label = form.querySelector(`label[for="${radio.id}"]`);
      parts.push(label ? words(label) : radio.value);
    });
    return parts.filter(Boolean).join(" · ");
  }

  // --- the banner --------------------------------------------------------------------------------
  function render(message) {
    if (!banner) {
      return;
    }
    const entries = load();
    const text = banner.querySelector("[data-capture-banner-text]");
    const list = banner.querySelector("[data-capture-pending]");
    const signin = banner.querySelector("[data-capture-signin]");
    list.replaceChildren(
      ...entries.map((entry) => {
        const item = document.createElement("li");
        const time = new Date(entry.tapped_at);
        const clock = time.toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
        item.textContent = `${clock} ${entry.summary}${entry.refused ? ` — ${entry.refused}` : ""}`;
        if (entry.refused) {
          const discard = document.createElement("button");
          discard.type = "button";
          discard.className = "link-button";
          discard.textContent = banner.dataset.textDiscard || "×";
          discard.addEventListener("click", () => {
            forget(entry.key);
            render();
          });
          item.append(" ", discard);
        }
        return item;
      }),
    );
    signin.hidden = state !== "signed-out";
    if (message) {
      text.textContent = message;
      banner.hidden = false;
      banner.dataset.state = "sent";
      return;
    }
    if (!entries.length && state !== "signed-out") {
      banner.hidden = true;
      return;
    }
    const count = entries.length;
    const template =
      state === "signed-out"
        ? banner.dataset.textSignedOut
        : count === 1
          ? banner.dataset.textOffline
          : banner.dataset.textOfflinePlural;
    text.textContent = template.replace("%(count)s", String(count));
    banner.dataset.state = state;
    banner.hidden = false;
  }

  // --- the outbox --------------------------------------------------------------------------------
  async function flush() {
    if (flushing || !load().length) {
      return;
    }
    flushing = true;
    let sent = 0;
    const tickets = [];
    try {
      for (const entry of load()) {
        if (entry.refused) {
          continue;
        }
        const outcome = await send(entry, true);
        if (outcome.kind === "done") {
          forget(entry.key);
          swap(outcome.html);
          sent += 1;
          const ticket = textOf(outcome.html, ".ticket-label");
          if (ticket) {
            tickets.push(ticket); // an advice entry kept offline got its ticket now: say its number
          }
        } else if (outcome.kind === "invalid") {
          store(
            load().map((kept) =>
              kept.key === entry.key ? { ...kept, refused: textOf(outcome.html, "[role=alert]") || "✗" } : kept,
            ),
          );
        } else {
          state = outcome.kind;
          return;
        }
      }
      state = "online";
    } finally {
      flushing = false;
      if (sent) {
        document.body.dispatchEvent(new CustomEvent("capture:recorded", { bubbles: true }));
      }
      const pending = load().filter((entry) => !entry.refused).length;
      const lines = banner
        ? [
            sent && !pending ? banner.dataset.textSent : "",
            tickets.length ? banner.dataset.textTickets.replace("%(tickets)s", tickets.join(", ")) : "",
          ]
        : [];
      render(lines.filter(Boolean).join(" ") || undefined);
    }
  }

  // What a press asks for, without its key: two presses asking the same are the same visitor.
  function signature(fields) {
    return JSON.stringify(fields.filter(([name]) => name !== "key" && name !== "queued_at"));
  }

  // "✓ ×N" on the button just recorded (N people); a repeated press makes it pulse.
  function acknowledge(form, button, repeated) {
    if (!button) {
      return;
    }
    const count = form.querySelector("input[name=count]");
    button.dataset.recorded = `✓ ×${count ? count.value || 1 : 1}`;
    button.classList.toggle("is-repeated", repeated);
    window.clearTimeout(button.feedbackTimer);
    button.feedbackTimer = window.setTimeout(() => {
      delete button.dataset.recorded;
      button.classList.remove("is-repeated");
    }, FEEDBACK_MS);
  }

  // A refusal replaces the success shown before it, and the reverse.
  function clearOutcome(kind) {
    const other = document.getElementById(kind === "done" ? "desk-errors" : "desk-status");
    if (other) {
      other.replaceChildren();
    }
  }

  forms.forEach((form) => {
    let busy = false;
    let last = null; // the last press recorded: its signature and when it was confirmed
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (busy) {
        return; // a double tap while the first is on its way (it carries the same key anyway)
      }
      const fields = Array.from(new FormData(form, event.submitter).entries()).filter(
        ([name]) => name !== "csrfmiddlewaretoken",
      );
      const samePress = "captureSamePress" in form.dataset;
      if (samePress && last && last.signature === signature(fields) && Date.now() - last.at < SAME_PRESS_MS) {
        acknowledge(form, event.submitter, true);
        return;
      }
      busy = true;
      form.setAttribute("aria-busy", "true");
      const entry = {
        url: form.action,
        key: form.querySelector("input[name=key]").value,
        fields,
        tapped_at: now().toISOString(),
        summary: summary(form, event.submitter),
      };
      try {
        const outcome = await send(entry, false);
        if (outcome.kind === "done" || outcome.kind === "invalid") {
          clearOutcome(outcome.kind);
          swap(outcome.html);
          if (outcome.kind === "done") {
            if (samePress) {
              last = { signature: signature(fields), at: Date.now() };
              acknowledge(form, event.submitter, false);
            }
            resetAfterCapture(form);
            document.body.dispatchEvent(new CustomEvent("capture:recorded", { bubbles: true }));
          } else {
            last = null;
          }
        } else {
          keep(entry);
          state = outcome.kind;
          form.querySelector("input[name=key]").value = newKey();
          resetAfterCapture(form);
          render();
        }
      } finally {
        busy = false;
        form.removeAttribute("aria-busy");
        if (event.submitter) {
          event.submitter.focus();
        }
      }
    });
  });

  // A background refresh (the counters) that meets a session ended elsewhere gets 401 and swaps
  // nothing (citedesmetiers/middleware.py): the page stays as it is and says so.
  document.body.addEventListener("htmx:responseError", (event) => {
    if (event.detail.xhr && event.detail.xhr.status === 401) {
      state = "signed-out";
      render();
    }
  });
  document.body.addEventListener("htmx:afterOnLoad", (event) => {
    if (state === "signed-out" && event.detail.xhr && event.detail.xhr.status < 400) {
      state = "online"; // signed in again (in another tab)
      flush();
      render();
    }
  });

  window.addEventListener("online", flush);
  document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && flush());
  window.setInterval(flush, RETRY_MS);
  render();
  window.setTimeout(flush, 500);
})();
