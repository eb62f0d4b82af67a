// Lists on phones: every table in a `.table-wrap` becomes a stack of cards on narrow screens,
// each cell labelled with its column's heading (`data-label`, shown by the stylesheet), so the
// amount, due date, status and PDF link are all on screen without scrolling sideways. Without
// JavaScript the table keeps its columns and scrolls inside its box. A file of its own: the CSP
// forbids inline scripts.
(function () {
  "use strict";
  var wraps = document.querySelectorAll(".table-wrap");
  Array.prototype.forEach.call(wraps, function (wrap) {
    var table = wrap.querySelector("table");
    if (!table || !table.tHead) {
      return;
    }
    var headings = Array.prototype.map.call(
      table.tHead.rows[0].cells,
      function (th) { return th.textContent.replace(/\s+/g, " ").trim(); }
    );
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var label = headings[column] || "";
          if (label && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", label);
          }
          column += cell.colSpan || 1;
        });
      });
    });
    wrap.classList.add("js-cards");
  });
})();
