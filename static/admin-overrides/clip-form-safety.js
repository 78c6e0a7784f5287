// Nothing lost, errors found, on the clip form:
// - a warning before leaving the page with unsaved changes (not after pressing a save button);
// - a copy of the form's text kept in this browser (localStorage, under the user's and the clip's
//   ids, so another account never sees it), offered again after a crash, a closed tab or an expired
//   session, and removed once a save succeeds;
// - on a refused form, focus on the summary of errors at the top, whose links focus each field.
// Strings and ids come from the page (news/admin/desk.py, json_script "clip-desk-config").
"use strict";
(function () {
  const editors = new Map(); // textarea name -> Tiptap editor
  const editorListeners = [];
  // Registered at once: the editors may be ready before the page has finished loading.
  document.addEventListener("prose-editor:ready", (event) => {
    const { editor, textarea } = event.detail;
    editors.set(textarea.name, editor);
    editorListeners.forEach((listener) => editor.on("update", listener));
  });

  document.addEventListener("DOMContentLoaded", start);

  function start() {
    const configElement = document.getElementById("clip-desk-config");
    const form = document.getElementById("newsclip_form");
    if (!configElement || !form) return;
    const config = JSON.parse(configElement.textContent);
    const strings = config.strings;
    const KEY = `gwangju-desk:${config.user}:${config.model}:${config.clip || "new"}`;
    const SUBMITTED = "gwangju-desk:submitted";
    // What a copy leaves out: files cannot be kept, related items are ids without their names, and the
    // lock token and CSRF token belong to the page, not to the text.
    const SKIP = /^(csrfmiddlewaretoken|lock_token|_workflow|confirm_takedown|projects|objectives|achievements|department)$|-(id|clip|DELETE|TOTAL_FORMS|INITIAL_FORMS|MIN_NUM_FORMS|MAX_NUM_FORMS|staged)$/;
    let dirty = false;
    let leaving = false;

    function format(template, values) {
      return template.replace(/%\((\w+)\)s/g, (_, name) => values[name]);
    }

    // --- a copy of the text in this browser -------------------------------------------------------------

    function fields() {
      const values = {};
      for (const element of form.elements) {
        if (!element.name || SKIP.test(element.name) || element.type === "file" || element.type === "submit") continue;
        if (element.type === "button" || element.disabled) continue;
        if ((element.type === "checkbox" || element.type === "radio") && !element.checked) continue;
        values[element.name] = element.value;
      }
      for (const [name, editor] of editors) values[name] = editor.getHTML();
      return values;
    }

    function read() {
      try {
        return JSON.parse(localStorage.getItem(KEY));
      } catch (error) {
        return null;
      }
    }

    let baseline = null; // the form as the page showed it: a copy equal to it is nothing to offer
    let timer = null;
    function keepCopy() {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const values = fields();
        if (baseline && JSON.stringify(values) === JSON.stringify(baseline)) return;
        try {
          localStorage.setItem(KEY, JSON.stringify({ savedAt: new Date().toISOString(), values }));
        } catch (error) {
          /* storage full or refused: the warning before leaving still protects the work */
        }
      }, 500);
    }

    function markDirty() {
      dirty = true;
      keepCopy();
    }

    function restore(copy) {
      for (const [name, value] of Object.entries(copy.values)) {
        if (editors.has(name)) {
          editors.get(name).commands.setContent(value);
          continue;
        }
        for (const element of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
          if (element.type === "checkbox" || element.type === "radio") element.checked = element.value === value;
          else element.value = value;
          element.dispatchEvent(new Event("input", { bubbles: true }));
        }
      }
      dirty = true;
    }

    function offer(copy) {
      const notice = document.createElement("section");
      notice.className = "desk-recovery";
      notice.id = "desk-recovery";
      notice.tabIndex = -1;
      notice.setAttribute("role", "region");
      notice.setAttribute("aria-label", strings.recoveryRestore);
      const text = document.createElement("p");
      const when = new Date(copy.savedAt).toLocaleString();
      text.textContent = format(strings.recoveryFound, { when });
      const restoreButton = document.createElement("button");
      restoreButton.type = "button";
      restoreButton.className = "button default";
      restoreButton.textContent = strings.recoveryRestore;
      const discardButton = document.createElement("button");
      discardButton.type = "button";
      discardButton.className = "button";
      discardButton.textContent = strings.recoveryDiscard;
      restoreButton.addEventListener("click", () => {
        restore(copy);
        text.textContent = strings.recoveryRestored;
        restoreButton.remove();
        discardButton.remove();
        notice.focus();
      });
      discardButton.addEventListener("click", () => {
        localStorage.removeItem(KEY);
        notice.remove();
      });
      notice.append(text, restoreButton, discardButton);
      form.prepend(notice);
    }

    // --- after the page has loaded: the last save's outcome, and a copy to offer --------------------------

    function refused() {
      return !!document.querySelector(".error-summary, .workflow-confirmation, .errornote, .errorlist");
    }

    function settle() {
      const submitted = sessionStorage.getItem(SUBMITTED);
      sessionStorage.removeItem(SUBMITTED);
      // A save went through: the admin came back with a success message and no error.
      if (submitted && !refused() && document.querySelector(".messagelist .success")) {
        localStorage.removeItem(submitted);
      }
      baseline = fields();
      const copy = read();
      if (!copy) return;
      if (refused()) return; // the refused form shows the editor's data already; the copy stays until saved
      if (JSON.stringify(copy.values) === JSON.stringify(baseline)) {
        localStorage.removeItem(KEY);
        return;
      }
      offer(copy);
    }

    // --- wiring ------------------------------------------------------------------------------------------

    form.addEventListener("input", markDirty);
    form.addEventListener("change", markDirty);
    editorListeners.push(markDirty);
    editors.forEach((editor) => editor.on("update", markDirty));

    form.addEventListener("submit", (event) => {
      const submitter = event.submitter;
      // Preview opens in another tab: this page stays, with its changes still unsaved.
      if (submitter && submitter.formTarget === "_blank") return;
      leaving = true;
      clearTimeout(timer);
      const values = fields();
      try {
        localStorage.setItem(KEY, JSON.stringify({ savedAt: new Date().toISOString(), values }));
        sessionStorage.setItem(SUBMITTED, KEY);
      } catch (error) {
        /* nothing to do */
      }
    });

    window.addEventListener("beforeunload", (event) => {
      if (!dirty || leaving) return;
      event.preventDefault();
      event.returnValue = strings.leaveWarning; // browsers show their own words
    });

    // Error summary: focus it, and let each link focus its field (the editor, or the autocomplete box).
    const summary = document.getElementById("error-summary");
    if (summary) {
      summary.addEventListener("click", (event) => {
        const link = event.target.closest("a[href^='#']");
        if (!link) return;
        const target = document.getElementById(link.getAttribute("href").slice(1));
        if (!target) return;
        event.preventDefault();
        const row = target.closest(".form-row, .inline-related, tr, .prose-editor") || target;
        row.scrollIntoView({ block: "center" });
        const editor = target.closest(".prose-editor") || (target.parentElement && target.parentElement.querySelector(".prose-editor"));
        const focusable =
          (target.tagName === "TEXTAREA" && target.closest(".prose-editor") && target.closest(".prose-editor").querySelector(".ProseMirror[contenteditable=true]")) ||
          (target.tagName === "SELECT" && target.nextElementSibling && target.nextElementSibling.querySelector(".select2-selection")) ||
          (target.matches("input, select, textarea, button, [tabindex]") ? target : target.querySelector("input, select, textarea, button"));
        (focusable || (editor && editor.querySelector(".ProseMirror")) || target).focus();
      });
    }

    window.addEventListener("load", () => {
      settle();
      const confirmation = document.getElementById("workflow-confirmation");
      if (summary) summary.focus();
      else if (confirmation) confirmation.focus();
    });
  }
})();
