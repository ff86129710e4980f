// The visitor's phone page (docs/reception.md, "The visitor's phone"): when it is their turn, the phone vibrates
// and, once the person has tapped to allow it, plays a short chime (phones allow sound after a tap only).
// htmx refreshes the state; this only alerts and announces the changes. Served as a file (CSP).
"use strict";

(function phone() {
  const announcement = document.querySelector("[data-phone-announcement]");
  const button = document.querySelector("[data-phone-alerts]");
  const Sound = window.AudioContext || window.webkitAudioContext;
  let audio = null;

  function status() {
    return document.getElementById("phone-status");
  }

  // The state and the number of calls: a second call of the same ticket alerts again.
  function stateOf(element) {
    return element ? element.dataset.phoneState + ":" + (element.dataset.phoneCalls || "") : "";
  }

  function chime() {
    if (!audio) {
      return;
    }
    try {
      const start = audio.currentTime + 0.05;
      [880, 660, 880].forEach((frequency, index) => {
        const at = start + index * 0.3;
        const oscillator = audio.createOscillator();
        const gain = audio.createGain();
        oscillator.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, at);
        gain.gain.exponentialRampToValueAtTime(0.5, at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.26);
        oscillator.connect(gain).connect(audio.destination);
        oscillator.start(at);
        oscillator.stop(at + 0.28);
      });
    } catch (error) {
      // No sound on this phone: the vibration and the page itself remain.
    }
  }

  function vibrate(pattern) {
    if (typeof navigator.vibrate === "function") {
      try {
        navigator.vibrate(pattern);
      } catch (error) {
        // Not allowed here: the page itself remains.
      }
    }
  }

  if (button && (Sound || typeof navigator.vibrate === "function")) {
    button.closest("[data-phone-alerts-row]").hidden = false;
    button.addEventListener("click", () => {
      if (Sound && !audio) {
        try {
          audio = new Sound();
        } catch (error) {
          audio = null;
        }
      }
      if (audio && audio.state === "suspended") {
        audio.resume().catch(() => {});
      }
      // What the call will sound and feel like, so that the person recognises it.
      chime();
      vibrate(200);
      button.textContent = button.dataset.on;
    });
  }

  let last = stateOf(status());
  document.body.addEventListener("htmx:afterSwap", () => {
    const current = status();
    const state = stateOf(current);
    if (!current || state === last) {
      return;
    }
    last = state;
    if (current.dataset.phoneState === "called") {
      vibrate([500, 200, 500, 200, 500]);
      chime();
    }
    const heading = current.querySelector("h1, h2");
    if (announcement && heading) {
      announcement.textContent = heading.textContent.trim();
    }
  });

  // A phone taken out of a pocket asks at once rather than at the next tick.
  document.addEventListener("visibilitychange", () => {
    const current = status();
    if (document.visibilityState === "visible" && current && current.hasAttribute("hx-get") && window.htmx) {
      window.htmx.trigger(current, "phonerefresh");
    }
  });
})();
