// Keyboard ordering for the drag-and-drop inlines (django-admin-sortable2): "Move up" and
// "Move down" buttons on every row, new rows included, and the lead photo marked again after each move.
//
// Dragging (sortable2) orders saved rows; the buttons order new rows too, before the first save. Only
// rows holding a file are numbered, so a row added and left empty is still ignored on save; an unmoved
// new row keeps no number and goes after the others, as sortable2 places it.
"use strict";
(function () {
  // Translated labels, from the clip form's configuration (news/admin/desk.py), read once the page is there.
  let strings = {};
  const ROWS = ".inline-related:not(.empty-form):not(.tabular), tr.form-row:not(.empty-form)";

  function rows(fieldset) {
    return [...fieldset.querySelectorAll(ROWS)];
  }

  function holdsContent(row) {
    if (row.classList.contains("has_original")) return true;
    const chosen = [...row.querySelectorAll("input[type=file]")].some((input) => input.files && input.files.length);
    return chosen || !!row.querySelector('input[name$="-staged"]');
  }

  // The same numbering sortable2 writes after a drag: the order on screen, from 1.
  function renumber(fieldset) {
    rows(fieldset)
      .filter(holdsContent)
      .forEach((row, index) => {
        const input = row.querySelector("input._reorder_") || row.querySelector('input[name$="-position"]');
        if (input) input.value = String(index + 1);
      });
    markLead(fieldset);
  }

  function markLead(fieldset) {
    if (!fieldset.closest("#images-group")) return;
    const first = rows(fieldset).filter(holdsContent)[0];
    const badge = fieldset.querySelector(".lead-photo");
    if (first && badge) (first.querySelector(".field-thumbnail .readonly") || first.querySelector("h3") || first).append(badge);
  }

  function move(row, fieldset, step) {
    const all = rows(fieldset);
    const target = all[all.indexOf(row) + step];
    if (!target) return;
    target.insertAdjacentElement(step < 0 ? "beforebegin" : "afterend", row);
    fieldset.dataset.moved = "true";
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

  function addButtons(row, fieldset) {
    if (row.querySelector(".order-button")) return;
    const place = row.querySelector(".sort") || row.querySelector("h3") || row.querySelector("td.original") || row;
    const up = button("↑", strings.moveUp || "Move up", "move-up");
    const down = button("↓", strings.moveDown || "Move down", "move-down");
    up.addEventListener("click", () => move(row, fieldset, -1));
    down.addEventListener("click", () => move(row, fieldset, 1));
    place.prepend(up, down);
  }

  window.addEventListener("load", () => {
    const config = document.getElementById("clip-desk-config");
    strings = (config && JSON.parse(config.textContent).strings) || {};
    for (const fieldset of document.querySelectorAll("fieldset.sortable")) {
      for (const row of rows(fieldset)) addButtons(row, fieldset);
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
      fieldset.addEventListener("end", () => {
        fieldset.dataset.moved = "true";
        renumber(fieldset);
      });
      // Once rows have been moved, a new row takes its place on screen as soon as it holds a file.
      fieldset.addEventListener("change", (event) => {
        if (fieldset.dataset.moved && event.target.matches("input[type=file]")) renumber(fieldset);
      });
      markLead(fieldset);
    }
  });

  // Django's inlines.js announces each row it adds ("Add another photo").
  document.addEventListener("formset:added", (event) => {
    const fieldset = event.target.closest("fieldset.sortable");
    if (fieldset) addButtons(event.target, fieldset);
  });
})();
