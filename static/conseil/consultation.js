// The consultation form shows the topics of the chosen theme only; without JavaScript every
// theme's topics are listed under its name, and the server checks that they match.
"use strict";

(function topicsOfTheTheme() {
  const choices = document.querySelectorAll("[data-theme-choice]");
  const groups = document.querySelectorAll("[data-topics-of]");
  if (!choices.length || !groups.length) {
    return;
  }
  function show() {
    const chosen = document.querySelector("[data-theme-choice]:checked");
    groups.forEach((group) => {
      const visible = Boolean(chosen) && group.dataset.topicsOf === chosen.value;
      group.hidden = !visible;
      if (!visible) {
        group.querySelectorAll("input[type=checkbox]").forEach((box) => {
          box.checked = false;
        });
      }
      const heading = group.querySelector(".topic-theme");
      if (heading) {
        heading.hidden = true; // the theme is chosen just above
      }
    });
  }
  choices.forEach((choice) => choice.addEventListener("change", show));
  show();
})();
