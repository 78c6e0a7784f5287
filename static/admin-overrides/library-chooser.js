// The media library's chooser on the clip form: "Choose a photo (document) from the library"
// adds a row and opens the library in a popup; clicking an item there fills the row's field
// (Django's own lookup popup, admin/js/admin/RelatedObjectLookups.js) and shows the photo.
// Its words come from the page (news/admin/desk.py, "clip-desk-config"), translated with the admin.
"use strict";
(function () {
  const GROUPS = {
    "images-group": { field: "photo", label: "choosePhoto" },
    "attachments-group": { field: "document", label: "chooseDocument" },
  };

  function preview(input) {
    const row = input.closest(".inline-related, tr");
    const img = row && row.querySelector("img.library-chosen");
    if (!img || !input.value || !/^\d+$/.test(input.value)) return;
    img.src = `/admin/news/photo/${input.value}/file/thumb/`;
    img.hidden = false;
  }

  function addAndChoose(group, field) {
    const before = new Set(group.querySelectorAll(`input[name$="-${field}"]`));
    const add = group.querySelector(".add-row a");
    if (!add) return;
    add.click();
    const input = [...group.querySelectorAll(`input[name$="-${field}"]`)].find(
      (el) => !before.has(el) && !el.name.includes("__prefix__"),
    );
    const lookup = input && document.getElementById(`lookup_${input.id}`);
    if (lookup && window.showRelatedObjectLookupPopup) window.showRelatedObjectLookupPopup(lookup);
    else if (lookup) lookup.click();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const config = document.getElementById("clip-desk-config");
    const strings = config ? JSON.parse(config.textContent).strings || {} : {};
    for (const [id, { field, label }] of Object.entries(GROUPS)) {
      const group = document.getElementById(id);
      if (!group) continue;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button library-choose-new";
      button.textContent = strings[label] || label;
      button.addEventListener("click", () => addAndChoose(group, field));
      (group.querySelector("fieldset, .tabular") || group).after(button);
    }
    // Django's popup fills the field and triggers jQuery's "change", which native listeners do not hear.
    const $ = window.django && window.django.jQuery;
    if ($) $(document.body).on("change", 'input[name$="-photo"]', (event) => preview(event.target));
    document.body.addEventListener("change", (event) => {
      if (event.target.matches && event.target.matches('input[name$="-photo"]')) preview(event.target);
    });
  });
})();
