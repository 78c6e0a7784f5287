// Writing aids on the clip form: live character counts against the limits lists, search results and
// share cards cut at; a preview of the share card; a checks panel (alt text, heading order, vague or
// empty links, long paragraphs, links to clips readers cannot see, outbound links found broken by
// `check_links`). Every finding explains itself; none stops a save.
// Strings, limits and addresses come from the page (news/admin/desk.py, json_script "clip-desk-config").
"use strict";
(function () {
  let bodyEditor = null;
  let refresh = () => {};
  document.addEventListener("prose-editor:ready", (event) => {
    if (event.detail.textarea.name !== "body") return;
    bodyEditor = event.detail.editor;
    bodyEditor.on("update", () => refresh());
    refresh();
  });

  const VAGUE = new Set([
    "click here", "click", "here", "more", "read more", "learn more", "see more", "link", "this", "this link",
    "details", "more details", "go", "website", "여기", "여기를 클릭", "클릭", "바로가기", "자세히", "자세히 보기", "더보기",
  ]);
  const PARAGRAPH_WORDS = 150;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, (_, name) => values[name]);
  }

  function length(text) {
    return [...text].length; // characters as readers count them, not UTF-16 units
  }

  document.addEventListener("DOMContentLoaded", () => {
    const configElement = document.getElementById("clip-desk-config");
    const form = document.getElementById("newsclip_form");
    const aids = document.getElementById("desk-aids");
    if (!configElement || !form || !aids) return;
    const config = JSON.parse(configElement.textContent);
    const strings = config.strings;

    // The panel sits under the text it is about.
    const firstFieldset = form.querySelector("fieldset.module");
    if (firstFieldset) firstFieldset.after(aids);
    aids.hidden = false;

    // --- character counts ---------------------------------------------------------------------------
    const counters = [];
    for (const [name, limits] of Object.entries(config.limits)) {
      const input = form.querySelector(`[name="${name}"]`);
      if (!input) continue;
      const output = document.createElement("p");
      output.className = "help desk-count";
      output.id = `id_${name}_count`;
      input.setAttribute("aria-describedby", [input.getAttribute("aria-describedby"), output.id].filter(Boolean).join(" "));
      (input.closest(".flex-container") || input).after(output);
      const update = () => {
        const count = length(input.value.trim());
        output.replaceChildren(format(strings.characters, { count }) + " · ");
        limits.forEach(({ limit, where }, index) => {
          const part = document.createElement("span");
          if (count > limit) {
            part.className = "desk-over";
            part.textContent = format(strings.overLimit, { where, limit, over: count - limit });
          } else {
            part.textContent = format(strings.withinLimit, { where, limit });
          }
          output.append(part, index < limits.length - 1 ? " " : "");
        });
      };
      input.addEventListener("input", update);
      counters.push(update);
      update();
    }

    // --- share card -----------------------------------------------------------------------------------
    const card = {
      image: document.getElementById("desk-share-image"),
      title: document.getElementById("desk-share-card-title"),
      description: document.getElementById("desk-share-card-description"),
      site: document.getElementById("desk-share-card-site"),
    };
    card.site.textContent = new URL(config.siteUrl).host;
    let objectUrl = null;

    function photoRows() {
      return [...form.querySelectorAll("#images-group .inline-related:not(.empty-form)")].filter((row) => {
        const remove = row.querySelector('input[name$="-DELETE"]');
        return !(remove && remove.checked);
      });
    }

    function rowFile(row) {
      const input = row.querySelector('input[type=file][name$="-image"]');
      return input && input.files && input.files[0];
    }

    function updateCard() {
      const title = form.querySelector('[name="title"]').value.trim();
      const subtitle = form.querySelector('[name="subtitle"]').value.trim();
      card.title.textContent = title;
      card.description.textContent = subtitle || title || config.defaultDescription;
      const first = photoRows().find((row) => rowFile(row) || row.querySelector(".field-thumbnail img"));
      let source = config.shareImage;
      if (first && rowFile(first)) {
        if (objectUrl) URL.revokeObjectURL(objectUrl);
        objectUrl = URL.createObjectURL(rowFile(first));
        source = objectUrl;
      } else if (first) {
        source = first.querySelector(".field-thumbnail img").src;
      }
      if (card.image.getAttribute("src") !== source) card.image.src = source;
    }

    // --- checks -------------------------------------------------------------------------------------------
    const list = document.getElementById("desk-checks-list");
    const count = document.getElementById("desk-checks-count");
    const outboundNote = document.getElementById("desk-checks-outbound");
    let linkFindings = [];
    let askedFor = "";

    function photoFindings() {
      const findings = [];
      photoRows().forEach((row, index) => {
        const holds = row.classList.contains("has_original") || rowFile(row) || row.querySelector('input[name$="-staged"]');
        const altInput = row.querySelector('[name$="-alt_text"]');
        if (!holds || !altInput) return;
        const alt = altInput.value.trim();
        const values = { number: index + 1, alt, count: length(alt) };
        const redundant = /^(an? )?(image|photo|picture|photograph) of\b|^(사진|이미지)\s*[:：]?/i.exec(alt);
        if (!alt) findings.push(format(strings.altMissing, values));
        else if (/\.(jpe?g|png|gif|webp|heic|bmp|tiff?)$/i.test(alt) || /^(img|dsc|dcim|photo|image|scan)[_ -]?\d+/i.test(alt))
          findings.push(format(strings.altFileName, values));
        else if (redundant) findings.push(format(strings.altRedundant, { ...values, start: redundant[0].trim() }));
        else if (length(alt) < 5) findings.push(format(strings.altShort, values));
        else if (length(alt) > 250) findings.push(format(strings.altLong, values));
      });
      return findings;
    }

    function bodyDocument() {
      const html = bodyEditor ? bodyEditor.getHTML() : form.querySelector('[name="body"]').value;
      return new DOMParser().parseFromString(`<body>${html}</body>`, "text/html").body;
    }

    function bodyFindings(body) {
      const findings = [];
      let previous = null;
      for (const heading of body.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
        const level = Number(heading.tagName[1]);
        const text = heading.textContent.trim();
        if (!text) findings.push(strings.headingEmpty);
        else if (previous === null && level > 2) findings.push(format(strings.headingFirst, { text, level }));
        else if (previous !== null && level > previous + 1)
          findings.push(format(strings.headingSkip, { text, level, previous }));
        previous = level;
      }
      for (const link of body.querySelectorAll("a[href]")) {
        const text = link.textContent.replace(/\s+/g, " ").trim();
        const href = link.getAttribute("href");
        if (!text) findings.push(format(strings.linkEmpty, { href }));
        else if (VAGUE.has(text.toLowerCase().replace(/[.!?:…>»→]+$/u, "").trim()))
          findings.push(format(strings.linkVague, { text }));
      }
      for (const paragraph of body.querySelectorAll("p")) {
        const words = paragraph.textContent.trim().split(/\s+/).filter(Boolean);
        if (words.length > PARAGRAPH_WORDS) {
          findings.push(
            format(strings.paragraphLong, { start: words.slice(0, 8).join(" "), count: words.length, limit: PARAGRAPH_WORDS }),
          );
        }
      }
      return findings;
    }

    async function askAboutLinks(body) {
      const links = [...body.querySelectorAll("a[href]")].map((a) => ({ href: a.getAttribute("href"), text: a.textContent.trim() }));
      const hrefs = [...new Set(links.map((link) => link.href))];
      outboundNote.hidden = !hrefs.some((href) => /^https?:/i.test(href) && !href.startsWith(config.siteUrl));
      const key = hrefs.join("\n");
      if (key === askedFor) return;
      askedFor = key;
      if (!hrefs.length) {
        linkFindings = [];
        return;
      }
      const query = new URLSearchParams(hrefs.map((href) => ["href", href]));
      try {
        const response = await fetch(`${config.linkStatusUrl}?${query}`, { credentials: "same-origin" });
        if (!response.ok) return;
        const answer = (await response.json()).links;
        if (key !== askedFor) return; // the text changed meanwhile
        linkFindings = links
          .filter((link) => answer[link.href])
          .map((link) => {
            const found = answer[link.href];
            const values = { text: link.text || link.href, href: link.href, ...found, when: found.checked };
            if (found.kind === "missing") return format(strings.linkMissingClip, values);
            if (found.kind === "unpublished") return format(strings.linkUnpublishedClip, values);
            return format(strings.linkBroken, values);
          });
        render();
      } catch (error) {
        /* the link check is a help, not a condition */
      }
    }

    function render() {
      const body = bodyDocument();
      const findings = [...photoFindings(), ...bodyFindings(body), ...linkFindings];
      list.replaceChildren(
        ...(findings.length ? findings : [strings.checksNone]).map((text) => {
          const item = document.createElement("li");
          item.textContent = text;
          if (!findings.length) item.className = "desk-check-ok";
          return item;
        }),
      );
      count.textContent = findings.length ? `(${findings.length})` : "";
      return body;
    }

    let timer = null;
    refresh = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        updateCard();
        askAboutLinks(render());
      }, 300);
    };
    form.addEventListener("input", refresh);
    form.addEventListener("change", refresh);
    document.addEventListener("formset:added", refresh);
    document.addEventListener("formset:removed", refresh);
    updateCard();
    askAboutLinks(render());
  });
})();
