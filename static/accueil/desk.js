// The reception desk's keyboard shortcuts. Recording itself is static/js/capture.js; the − and + buttons are site.js.
"use strict";

(function desk() {
  const form = document.getElementById("desk-form");
  if (!form) {
    return;
  }

  // A theme's letter records the contact; a digit chooses where the person is directed. Keys typed
  // into a field are left alone.
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) {
      return;
    }
    const target = event.target;
    if (target.closest("input:not([type=radio]), select, textarea, summary, [contenteditable]")) {
      return;
    }
    const key = event.key.toLowerCase();
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
