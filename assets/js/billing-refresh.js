// Reloads a billing run's page while the run works (the page marks itself with
// data-refresh-seconds). A file of its own because the CSP forbids inline scripts; without
// JavaScript the page's "Refresh" link does the same.
(function () {
  "use strict";
  var marker = document.querySelector("[data-refresh-seconds]");
  if (!marker) {
    return;
  }
  var seconds = parseInt(marker.getAttribute("data-refresh-seconds"), 10) || 3;
  window.setTimeout(function () {
    window.location.reload();
  }, seconds * 1000);
})();
