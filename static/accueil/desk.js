// The reception desk's keyboard shortcuts. Recording itself is static/js/capture.js; the − and + buttons are site.js.
"use strict";

(function desk() {
  const form = document.getElementById("desk-form");
  if (!form) {
    return;
  }

  // The key a press stands for: a digit (1–5 where the person is directed, 6–9 the channel) by its
  // place on the keyboard, whatever the layout (Belgian AZERTY types digits with Shift); Shift and a
  // letter, a language ("⇧F"); a letter alone, a theme (the letters follow the page's language).
  function shortcutOf(event) {
    const digit = /^(?:Digit|Numpad)(\d)$/.exec(event.code || "");
    if (digit) {
      return digit[1];
    }
    const letter = event.key.length === 1 ? event.key.toLowerCase() : "";
    if (!/^[a-z]$/.test(letter)) {
      return "";
    }
    return event.shiftKey ? `⇧${letter.toUpperCase()}` : letter;
  }

  // Keys typed into a field are left alone.
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) {
      return;
    }
    const target = event.target;
    if (target.closest("input:not([type=radio]), select, textarea, summary, [contenteditable]")) {
      return;
    }
    const key = shortcutOf(event);
    if (!key) {
      return;
    }
    const choice = form.querySelector(`input[type=radio][data-shortcut="${key}"]`);
    if (choice) {
      choice.checked = true;
      choice.focus();
      event.preventDefault();
      return;
    }
    const button = form.querySelector(`button[type=submit][data-shortcut="${key}"]`);
    if (button) {
      event.preventDefault();
      button.focus();
      form.requestSubmit(button);
    }
  });
})();
