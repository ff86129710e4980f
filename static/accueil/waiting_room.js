// The waiting-room screen (docs/reception.md, "The waiting-room screen"): a new call (or a recall) is shown full
// screen for a few seconds with a chime made by the Web Audio API and, where the browser has voices,
// spoken in French then Dutch; calls already on the screen when it loads are not announced again. The
// waiting groups that do not fit are shown page by page. The board itself is refreshed by htmx.
(function waitingRoom() {
  "use strict";
  const overlay = document.querySelector("[data-call-overlay]");
  if (!overlay) {
    return;
  }
  const SHOW_MS = 6000;
  const PAGE_MS = 8000;
  const body = document.body;
  const soundButton = document.querySelector("[data-sound-enable]");
  const seen = new Set();
  const pending = [];
  let showing = false;
  let audio = null;
  let chimed = 0;
  let page = 0;
  let pages = 1;

  const calls = () => Array.from(document.querySelectorAll("#board [data-call]"));
  calls().forEach((item) => seen.add(item.dataset.call));
  body.dataset.chimed = "0";
  body.dataset.shown = "0";

  // --- sound -----------------------------------------------------------------------------------------
  function context() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) {
      try {
        audio = new Context();
      } catch (error) {
        audio = null;
      }
    }
    return audio;
  }

  function soundAllowed() {
    const ac = context();
    return Boolean(ac) && ac.state === "running";
  }

  function chime() {
    chimed += 1;
    body.dataset.chimed = String(chimed);
    const ac = context();
    if (!ac) {
      return;
    }
    if (ac.state === "suspended") {
      ac.resume().catch(() => {});
    }
    const start = ac.currentTime + 0.05;
    // Two soft bell tones (E5 then C5), each fading out: audible across the room, not alarming.
    [
      [659.25, 0],
      [523.25, 0.5],
    ].forEach(([frequency, delay]) => {
      const oscillator = ac.createOscillator();
      const gain = ac.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + delay);
      gain.gain.exponentialRampToValueAtTime(0.5, start + delay + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + delay + 1.4);
      oscillator.connect(gain);
      gain.connect(ac.destination);
      oscillator.start(start + delay);
      oscillator.stop(start + delay + 1.5);
    });
  }

  function speak(call) {
    if (!("speechSynthesis" in window) || !soundAllowed()) {
      return;
    }
    const voices = window.speechSynthesis.getVoices();
    [
      ["fr-BE", call.sayFr],
      ["nl-BE", call.sayNl],
    ].forEach(([lang, text]) => {
      if (!text) {
        return;
      }
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = lang;
      const voice =
        voices.find((v) => v.lang === lang) || voices.find((v) => v.lang.startsWith(lang.slice(0, 2)));
      if (voice) {
        utterance.voice = voice;
      }
      window.speechSynthesis.speak(utterance);
    });
  }

  function updateSoundButton() {
    if (soundButton) {
      soundButton.hidden = soundAllowed();
    }
  }

  if (soundButton) {
    soundButton.addEventListener("click", () => {
      const ac = context();
      if (ac) {
        ac.resume().then(updateSoundButton, updateSoundButton);
      }
      soundButton.hidden = true;
    });
    // A TV started with Chromium's --autoplay-policy=no-user-gesture-required needs no click.
    updateSoundButton();
    if (audio) {
      audio.addEventListener("statechange", updateSoundButton);
    }
  }

  // --- the call, full screen ------------------------------------------------------------------------
  function next() {
    const call = pending.shift();
    if (!call) {
      showing = false;
      overlay.hidden = true;
      return;
    }
    showing = true;
    overlay.className = `wr-overlay ${call.theme}`;
    overlay.querySelector("[data-call-number]").textContent = call.number;
    overlay.querySelector("[data-call-desk]").textContent = call.desk || "—";
    overlay.hidden = false;
    body.dataset.shown = String(Number(body.dataset.shown) + 1);
    chime();
    window.setTimeout(() => speak(call), 1200);
    window.setTimeout(next, SHOW_MS);
  }

  function announceNewCalls() {
    // The list is newest first: announce the new ones oldest first.
    calls()
      .reverse()
      .forEach((item) => {
        if (seen.has(item.dataset.call)) {
          return;
        }
        seen.add(item.dataset.call);
        pending.push({
          number: item.dataset.number,
          desk: item.dataset.desk,
          sayFr: item.dataset.sayFr,
          sayNl: item.dataset.sayNl,
          theme: Array.from(item.classList).find((name) => name.startsWith("theme-")) || "",
        });
      });
    if (!showing && pending.length) {
      next();
    }
  }

  // --- pages of waiting groups ------------------------------------------------------------------------
  function paginate() {
    const list = document.querySelector("#board [data-pages]");
    const indicator = document.querySelector("#board [data-page-indicator]");
    if (!list) {
      pages = 1;
      return;
    }
    const items = Array.from(list.children);
    items.forEach((item) => {
      item.hidden = false;
    });
    const height = list.clientHeight;
    const top = list.getBoundingClientRect().top;
    let pageTop = 0;
    let current = 0;
    items.forEach((item, index) => {
      const box = item.getBoundingClientRect();
      const style = window.getComputedStyle(item);
      const bottom = box.bottom - top + parseFloat(style.marginBottom || "0");
      if (index > 0 && bottom - pageTop > height + 1) {
        current += 1;
        pageTop = box.top - top;
      }
      item.dataset.page = String(current);
    });
    pages = current + 1;
    page = page % pages;
    items.forEach((item) => {
      item.hidden = item.dataset.page !== String(page);
    });
    if (indicator) {
      indicator.hidden = pages < 2;
      indicator.textContent = pages < 2 ? "" : `${page + 1}/${pages}`;
    }
  }

  window.setInterval(() => {
    if (pages > 1) {
      page = (page + 1) % pages;
      paginate();
    }
  }, PAGE_MS);

  document.body.addEventListener("htmx:afterSwap", () => {
    paginate();
    announceNewCalls();
  });
  window.addEventListener("resize", paginate);
  paginate();
})();
