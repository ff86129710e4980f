// The activity form: shows only the place fields of the kind of place chosen (room, address or link).
// Without JavaScript every place field stays visible and the server keeps the one that matters.
"use strict";

(function placeFields() {
  const choices = document.querySelectorAll('input[name="place_kind"]');
  const groups = document.querySelectorAll("[data-place]");
  if (!choices.length || !groups.length) {
    return;
  }
  function show() {
    const chosen = document.querySelector('input[name="place_kind"]:checked');
    groups.forEach((group) => {
      group.hidden = chosen !== null && group.dataset.place !== chosen.value;
    });
  }
  choices.forEach((choice) => choice.addEventListener("change", show));
  show();
})();
