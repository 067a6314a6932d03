(function () {
  "use strict";
  // Sorting and filtering for the report's tables; without JS the tables read as they are.
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  function cellKey(td) {
    var s = td.getAttribute("data-sort");
    return s !== null ? s : td.textContent.trim();
  }
  function isNumber(v) { return v !== "" && !isNaN(Number(v)); }
  function sortTable(table, col, th) {
    var tbody = table.tBodies[0];
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
    var rows = Array.prototype.slice.call(tbody.rows);
    var sign = dir === "ascending" ? 1 : -1;
    rows.sort(function (a, b) {
      var x = cellKey(a.cells[col]), y = cellKey(b.cells[col]);
      var r = isNumber(x) && isNumber(y) ? Number(x) - Number(y) : collator.compare(x, y);
      return r * sign;
    });
    rows.forEach(function (r) { tbody.appendChild(r); });
  }
  function setup(table, n) {
    if (!table.tHead || !table.tBodies.length || table.classList.contains("signoff-table")) { return; }
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "sort";
      b.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(b);
      b.addEventListener("click", function () { sortTable(table, col, th); });
    });
    var total = table.tBodies[0].rows.length;
    if (total < 2) { return; }
    var tools = document.createElement("div");
    tools.className = "table-tools";
    var id = "filter-" + n;
    var label = document.createElement("label");
    label.setAttribute("for", id);
    label.textContent = "Filter rows";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.setAttribute("aria-controls", table.id);
    var status = document.createElement("span");
    status.className = "status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    tools.appendChild(label);
    tools.appendChild(input);
    tools.appendChild(status);
    var wrapper = table.closest(".table-scroll") || table;
    wrapper.parentNode.insertBefore(tools, wrapper);
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        var shown = 0;
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          var text = row.textContent.toLowerCase();
          var ok = words.every(function (w) { return text.indexOf(w) !== -1; });
          row.hidden = !ok;
          if (ok) { shown += 1; }
        });
        status.textContent = words.length ? shown + " of " + total + " rows shown" : "";
      }, 120);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.data"), setup);
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
})();
