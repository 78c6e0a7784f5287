// Paste from Word and Hancom Office keeps lists. Neither puts <ul>/<ol> on the clipboard (Word
// writes "MsoListParagraph" paragraphs, Hancom "HStyle" paragraphs starting with "□ " or "1."), so
// such a paste is sent to the server, which makes the lists and sanitises (core/office_lists.py),
// and the editor inserts its answer. Every other paste is left to the editor.
"use strict";
(function () {
  const OFFICE = /mso-list\s*:|class\s*=\s*["']?HStyle\d/i;
  const editors = new Map(); // the .prose-editor element -> its Tiptap editor

  document.addEventListener("prose-editor:ready", (event) => {
    const { editor, textarea } = event.detail;
    const container = textarea.closest(".prose-editor");
    if (container && textarea.dataset.officePasteUrl) editors.set(container, { editor, textarea });
  });

  function csrfToken(textarea) {
    const field = (textarea.form || document).querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  async function convert(url, token, html) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token },
      body: new URLSearchParams({ html }),
    });
    if (!response.ok) throw new Error(`paste conversion answered ${response.status}`);
    return (await response.json()).html;
  }

  // Capture phase on the document: runs before the editor's own paste handling.
  document.addEventListener(
    "paste",
    (event) => {
      const container = event.target.closest && event.target.closest(".prose-editor");
      const entry = container && editors.get(container);
      const html = event.clipboardData && event.clipboardData.getData("text/html");
      if (!entry || !html || !OFFICE.test(html)) return;
      event.preventDefault();
      event.stopPropagation();
      const { editor, textarea } = entry;
      const { from, to } = editor.state.selection;
      textarea.dataset.pasting = "true"; // for the tests: the answer is on its way
      convert(textarea.dataset.officePasteUrl, csrfToken(textarea), html)
        .catch((error) => {
          console.warn("Office paste: pasting without list conversion", error);
          return html; // the editor's own reading of the clipboard, as without this script
        })
        .then((content) => {
          // Whitespace between blocks collapsed, as in a paste the editor reads itself.
          const parseOptions = { preserveWhitespace: false };
          editor.chain().focus().insertContentAt({ from, to }, content, { parseOptions }).run();
          delete textarea.dataset.pasting;
        });
    },
    true,
  );
})();
