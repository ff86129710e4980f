// The self-service kiosk (docs/reception.md, "The self-service kiosk"). Without JavaScript every page still works:
// a plain form POST, and a meta refresh back to the start. With it:
// - a tap on a theme is sent once: a second tap while it is on its way does nothing (and would carry
//   the same key anyway: the server gives the same ticket);
// - when the server cannot be reached, the page says "one moment" and sends again with the same key
//   (a resend records nothing twice) until it answers, or says to ask at reception after a while;
// - the page goes back to the start when nobody touches it (data-kiosk-idle seconds).
"use strict";

(function kiosk() {
  const page = document.querySelector("[data-kiosk]");
  if (!page) {
    return;
  }
  const RETRY_MS = 2000;
  const GIVE_UP_MS = 60000;
  const home = page.dataset.kioskHome;
  const idle = Number(page.dataset.kioskIdle || 0);
  let timer = null;

  // Goes to `url` only if the server answers: during a network cut the kiosk stays on its page rather
  // than showing the browser's error page to the next visitor.
  async function go(url) {
    try {
      const probe = await window.fetch(url, { cache: "no-store", credentials: "same-origin" });
      if (probe.ok) {
        window.location.assign(url);
        return true;
      }
    } catch (error) {
      // not reached: stay here
    }
    return false;
  }

  function arm() {
    window.clearTimeout(timer);
    if (idle && home) {
      timer = window.setTimeout(async () => {
        if (!(await go(home))) {
          arm();
        }
      }, idle * 1000);
    }
  }
  ["pointerdown", "keydown"].forEach((type) => document.addEventListener(type, arm, { passive: true }));
  arm();
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-kiosk-go]");
    if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      go(link.href);
    }
  });

  const form = document.querySelector("form[data-kiosk-form]");
  if (!form) {
    return;
  }
  const status = form.querySelector("[data-kiosk-status]");
  const sleep = (ms) => new Promise((resolve) => window.setTimeout(resolve, ms));
  let busy = false;

  // Puts the answer's page (refused, too many tickets) in place of this one's main content.
  function show(html) {
    const answer = new DOMParser().parseFromString(html, "text/html");
    const fresh = answer.querySelector("main");
    const main = document.querySelector("main");
    if (fresh && main) {
      main.replaceChildren(...Array.from(fresh.childNodes).map((node) => document.importNode(node, true)));
      document.title = answer.title;
      main.focus();
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) {
      return; // a double tap: the first press is on its way
    }
    busy = true;
    window.clearTimeout(timer);
    form.setAttribute("aria-busy", "true");
    if (event.submitter) {
      event.submitter.classList.add("is-chosen");
    }
    const body = new URLSearchParams(new FormData(form, event.submitter));
    status.textContent = status.dataset.textWait;
    const started = Date.now();
    for (;;) {
      let response = null;
      try {
        response = await window.fetch(form.action, { method: "POST", body, credentials: "same-origin" });
      } catch (error) {
        response = null; // not reached: send again, with the same key
      }
      if (response && response.ok && response.redirected) {
        window.location.replace(response.url);
        return;
      }
      if (response && response.status >= 400 && response.status < 500) {
        show(await response.text());
        arm();
        return;
      }
      if (Date.now() - started > GIVE_UP_MS) {
        status.textContent = status.dataset.textFailed;
        form.removeAttribute("aria-busy");
        if (event.submitter) {
          event.submitter.classList.remove("is-chosen");
        }
        busy = false;
        arm();
        return;
      }
      await sleep(RETRY_MS);
    }
  });
})();
