// Keyboard ordering for the drag-and-drop inlines (django-admin-sortable2): "Move up" and
// "Move down" buttons on every saved row, and the lead photo marked again after each move.
"use strict";
(function () {
  const ROWS = ".inline-related.has_original, tr.has_original";

  function rows(fieldset) {
    return [...fieldset.querySelectorAll(ROWS)];
  }

  // The same numbering sortable2 writes after a drag: the order on screen, from 1.
  function renumber(fieldset) {
    rows(fieldset).forEach((row, index) => {
      const input = row.querySelector("input._reorder_");
      if (input) input.value = String(index + 1);
    });
    markLead(fieldset);
  }

  function markLead(fieldset) {
    if (!fieldset.closest("#images-group")) return;
    const first = rows(fieldset)[0];
    const badge = fieldset.querySelector(".lead-photo");
    if (first && badge) (first.querySelector(".field-thumbnail .readonly") || first).append(badge);
  }

  function move(row, fieldset, step) {
    const all = rows(fieldset);
    const target = all[all.indexOf(row) + step];
    if (!target) return;
    target.insertAdjacentElement(step < 0 ? "beforebegin" : "afterend", row);
    renumber(fieldset);
    row.querySelector(step < 0 ? ".move-up" : ".move-down").focus();
  }

  function button(symbol, label, className) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "order-button " + className;
    element.textContent = symbol;
    element.title = label;
    element.setAttribute("aria-label", label);
    return element;
  }

  window.addEventListener("load", () => {
    for (const fieldset of document.querySelectorAll("fieldset.sortable")) {
      for (const row of rows(fieldset)) {
        const place = row.querySelector(".sort") || row.querySelector("h3") || row;
        const up = button("↑", "Move up", "move-up");
        const down = button("↓", "Move down", "move-down");
        up.addEventListener("click", () => move(row, fieldset, -1));
        down.addEventListener("click", () => move(row, fieldset, 1));
        place.prepend(up, down);
      }
      // sortable2's "move to first/last position" icons, reachable with the keyboard too.
      for (const icon of fieldset.querySelectorAll(".sort i[role=button]")) {
        icon.tabIndex = 0;
        icon.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            icon.click();
          }
        });
      }
      // Sortable.js announces the end of a drag on the fieldset itself.
      fieldset.addEventListener("end", () => markLead(fieldset));
      markLead(fieldset);
    }
  });
})();
