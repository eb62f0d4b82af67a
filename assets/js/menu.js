// The main navigation behind a "Menu" button on narrow screens (phones): a dozen links would
// otherwise take several lines before any content. Without JavaScript the button stays hidden
// and the links are all shown, as on wide screens. A file of its own: the CSP forbids inline
// scripts.
(function () {
  "use strict";
  var nav = document.querySelector(".main-nav");
  var button = nav && nav.querySelector(".menu-button");
  if (!button) {
    return;
  }
  nav.classList.add("js-menu");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("open", open);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && nav.classList.contains("open")) {
      button.setAttribute("aria-expanded", "false");
      nav.classList.remove("open");
      button.focus();
    }
  });
})();
